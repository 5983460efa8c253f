namespace Guidepost.Testing;

/// <summary>First-run secrets given through configuration, as an operator would set them.</summary>
public sealed record Bootstrap(string ApiKey, string IntegrationKey, string AdminPassword)
{
    public const string AdminUsername = "admin";

    public static Bootstrap NewRandom() =>
        new(Guid.NewGuid().ToString(), "test-key-" + Guid.NewGuid().ToString("N"), "pw-" + Guid.NewGuid().ToString("N")[..12]);

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Guidepost:Bootstrap:ApiKey"] = ApiKey,
        ["Guidepost:Bootstrap:IntegrationKey"] = IntegrationKey,
        ["Guidepost:Bootstrap:AdminPassword"] = AdminPassword,
    };
}
