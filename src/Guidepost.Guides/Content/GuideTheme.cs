namespace Guidepost.Guides.Content;

/// <summary>The look shared by a guide's steps; every property has a default so a guide needs no theme.</summary>
/// <param name="BorderRadius">Corner radius of the guide and its buttons, in pixels.</param>
/// <param name="Width">Width of lightboxes and tooltips in pixels, unless a step gives its own.</param>
public sealed record GuideTheme(
    string FontFamily = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    string TextColor = "#2a2c35",
    string BackgroundColor = "#ffffff",
    string PrimaryColor = "#2b6cb0",
    string ButtonTextColor = "#ffffff",
    int BorderRadius = 6,
    int Width = 400)
{
    public static GuideTheme Default { get; } = new();
}
