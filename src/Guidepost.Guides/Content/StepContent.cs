using System.Text.Json.Nodes;

namespace Guidepost.Guides.Content;

/// <summary>A step's parsed content: authored blocks, a raw building-block tree, or a reference to a
/// layout (which <see cref="Layouts.Apply"/> turns into blocks). Built by <see cref="StepContentParser"/>.</summary>
public sealed class StepContent
{
    internal StepContent(string path, Placement placement, string? position, int? width, IReadOnlyList<Block> blocks)
    {
        Path = path;
        Placement = placement;
        Position = position;
        Width = width;
        Blocks = blocks;
    }

    internal StepContent(string path, JsonObject domJson, IReadOnlyList<PollInfo> declaredPolls)
    {
        Path = path;
        DomJson = domJson;
        DeclaredPolls = declaredPolls;
    }

    internal StepContent(string path, string layoutId, IReadOnlyDictionary<string, LocalizedText> slots)
    {
        Path = path;
        LayoutId = layoutId;
        Slots = slots;
    }

    /// <summary>The layout this step fills, when it is written as <c>"layout": {"id": …, "slots": {…}}</c>:
    /// the caller looks it up and passes it to <see cref="Layouts.Apply"/>.</summary>
    public string? LayoutId { get; }

    internal string Path { get; }
    internal Placement Placement { get; }
    internal string? Position { get; }
    internal int? Width { get; }
    internal IReadOnlyList<Block> Blocks { get; } = [];
    internal JsonObject? DomJson { get; }
    internal IReadOnlyList<PollInfo> DeclaredPolls { get; } = [];
    internal IReadOnlyDictionary<string, LocalizedText> Slots { get; } = new Dictionary<string, LocalizedText>();

    /// <summary>The guides this step's buttons launch (the caller checks that they exist).</summary>
    public IReadOnlyList<string> LaunchedGuideIds => [.. Blocks.OfType<ButtonBlock>().Where(b => b.GuideId is not null).Select(b => b.GuideId!)];
}

internal enum Placement { Lightbox, Banner, Tooltip, Embedded }

internal enum ButtonAction { Next, Previous, Dismiss, Snooze, Link, GoToStep, ShowGuide }

internal enum PollKind { SingleChoice, FreeText, NumberScale, Nps }

internal abstract record Block(string Path);

internal sealed record HeadingBlock(string Path, LocalizedText Text) : Block(Path);

internal sealed record TextBlock(string Path, LocalizedText Text) : Block(Path);

internal sealed record ImageBlock(string Path, string Url, LocalizedText? Alt) : Block(Path);

/// <param name="StepIndex">For <see cref="ButtonAction.GoToStep"/>: the 0-based index of the destination step.</param>
/// <param name="GuideId">For <see cref="ButtonAction.ShowGuide"/>: the guide to show instead.</param>
internal sealed record ButtonBlock(string Path, LocalizedText Label, ButtonAction Action, string? Url, string? Target, int? StepIndex, string? GuideId = null)
    : Block(Path);

/// <param name="Options">Choices of a single-choice poll; empty for the other kinds.</param>
internal sealed record PollBlock(
    string Path, PollKind Kind, LocalizedText Question, IReadOnlyList<LocalizedText> Options,
    int Min, int Max, LocalizedText? MinLabel, LocalizedText? MaxLabel) : Block(Path);

internal sealed record PolicyBlock(string Path, string Version, LocalizedText Text, LocalizedText Accept) : Block(Path);

/// <summary>Text in one or several languages. A plain string is stored under the empty key and serves
/// every language.</summary>
internal sealed class LocalizedText(IReadOnlyDictionary<string, string> byLanguage)
{
    public const string AnyLanguage = "";

    public IReadOnlyDictionary<string, string> ByLanguage { get; } = byLanguage;

    public static LocalizedText Plain(string text) => new(new Dictionary<string, string> { [AnyLanguage] = text });

    /// <summary>The text for <paramref name="language"/>, else its base language (<c>fr</c> for
    /// <c>fr-CA</c>), else the guide's authored language, else the language-neutral text.</summary>
    public string? Resolve(string language, string authoredLanguage)
    {
        foreach (var candidate in new[] { language, BaseLanguage(language), authoredLanguage, BaseLanguage(authoredLanguage), AnyLanguage })
            if (ByLanguage.TryGetValue(candidate, out var text)) return text;
        return null;
    }

    private static string BaseLanguage(string language)
    {
        var cut = language.IndexOfAny(['-', '_']);
        return cut > 0 ? language[..cut] : language;
    }
}
