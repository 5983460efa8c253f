namespace Guidepost.Bench;

/// <summary>Command-line options shared by scenarios: <c>--name value</c> pairs with defaults.</summary>
internal sealed class BenchArgs(IReadOnlyDictionary<string, string> values)
{
    public static BenchArgs Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>();
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal)) values[name = arg[2..]] = "true";
            else if (name is not null) values[name] = arg;
            else throw new ArgumentException($"Unexpected argument '{arg}'.");
        }
        return new BenchArgs(values);
    }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text) : fallback;

    public string? Text(string name) => values.GetValueOrDefault(name);
}
