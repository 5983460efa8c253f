namespace Guidepost.Guides.Delivery;

/// <summary>Guides are written and delivered per language, named by a two-letter ISO 639-1 code (<c>en</c>, <c>fr</c>).</summary>
public static class GuideLanguages
{
    public static bool IsCode(string language) => language.Length == 2 && language.All(char.IsAsciiLetterLower);

    /// <summary>The language to deliver a guide in: the visitor's (<c>fr_CA</c> asks for <c>fr</c>), else the authored one.</summary>
    public static string For(string? visitorLanguage, string authoredLanguage) =>
        visitorLanguage is { Length: >= 2 } && IsCode(visitorLanguage[..2].ToLowerInvariant()) ? visitorLanguage[..2].ToLowerInvariant() : authoredLanguage;
}
