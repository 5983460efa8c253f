namespace Guidepost.Core.Tenancy;

/// <summary>What a person may do within one subscription; each role includes the ones before it.</summary>
public enum Role
{
    Viewer = 0,
    Editor = 1,
    Admin = 2,
}
