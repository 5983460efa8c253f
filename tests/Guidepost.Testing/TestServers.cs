using Xunit;

namespace Guidepost.Testing;

/// <summary>Database servers the test script starts on loopback. Outside the script a test that needs one
/// is skipped; under it (GUIDEPOST_TEST_REQUIRE_SERVERS=1) a missing server is a failure.</summary>
public static class TestServers
{
    public static string? Postgres => Required("GUIDEPOST_TEST_POSTGRES");

    private static string? Required(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        if (Environment.GetEnvironmentVariable("GUIDEPOST_TEST_REQUIRE_SERVERS") == "1")
            throw new InvalidOperationException($"{variable} is not set, but the test script requires every server.");
        Skip.If(true, $"{variable} is not set; run scripts/test.sh to start the servers.");
        return null;
    }
}
