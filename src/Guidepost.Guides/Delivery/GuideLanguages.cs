namespace Guidepost.Guides.Delivery;

/// <summary>Guides are written and delivered per language, named by a two-letter ISO 639-1 code (<c>en</c>, <c>fr</c>).</summary>
public static class GuideLanguages
{
    public static bool IsCode(string language) => language.Length == 2 && language.All(char.IsAsciiLetterLower);
}
