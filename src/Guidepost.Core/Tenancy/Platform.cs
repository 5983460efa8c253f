namespace Guidepost.Core.Tenancy;

/// <summary>The kind of application an agent is installed in.</summary>
public enum Platform
{
    Web = 0,
    Mobile = 1,
}
