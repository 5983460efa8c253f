namespace Guidepost.Config.Entities;

/// <summary>A key/value fact about this installation, such as when it was bootstrapped.</summary>
public sealed class InstanceSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
