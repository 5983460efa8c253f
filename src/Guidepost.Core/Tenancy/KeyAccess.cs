namespace Guidepost.Core.Tenancy;

/// <summary>What an integration key may do within its subscription.</summary>
public enum KeyAccess
{
    ReadOnly = 0,
    ReadWrite = 1,
}
