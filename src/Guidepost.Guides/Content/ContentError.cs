namespace Guidepost.Guides.Content;

/// <summary>One problem with an authored guide, step, theme or layout: where it is (a JSON path such as
/// <c>steps[1].domJson.children[0].actions[0]</c>) and what is wrong and expected.</summary>
public sealed record ContentError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Builds JSON paths for <see cref="ContentError"/>.</summary>
internal static class JsonPath
{
    public static string Member(string path, string key)
    {
        var plain = key.Length > 0 && (char.IsLetter(key[0]) || key[0] == '_')
            && key.All(c => char.IsLetterOrDigit(c) || c == '_');
        var member = plain ? key : $"['{key.Replace("'", "\\'")}']";
        if (path.Length == 0) return member;
        return plain ? $"{path}.{member}" : path + member;
    }

    public static string Index(string path, int index) => $"{path}[{index}]";
}
