using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;

namespace Guidepost.Tagging.Rules;

/// <summary>A feature rule: a CSS selector (parsed by AngleSharp) that a click counts for when it matches
/// the clicked element or any of its ancestors, as the agent captured them.</summary>
public sealed class FeatureRule
{
    public const int MaxLength = 2048;
    private static readonly CssSelectorParser Parser = new();

    private readonly ISelector _selector;

    private FeatureRule(string text, ISelector selector) => (Text, _selector) = (text, selector);

    public string Text { get; }

    public bool Matches(ElementChain chain)
    {
        foreach (var element in chain.Elements)
            if (_selector.Match(element, null)) return true;
        return false;
    }

    public static FeatureRule Parse(string text) =>
        TryParse(text, out var rule, out var error) ? rule : throw new ArgumentException(error!.ToString(), nameof(text));

    public static bool TryParse(string text, out FeatureRule rule, out RuleError? error)
    {
        rule = null!;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) error = new RuleError(text, "a feature rule cannot be empty; use a CSS selector such as button#save.");
        else if (text.Length > MaxLength) error = new RuleError(text, $"a feature rule has at most {MaxLength} characters.");
        else if (Parser.ParseSelector(text) is not { } selector)
            error = new RuleError(text, "this is not a CSS selector AngleSharp understands (tag, #id, .class, [attribute], " +
                ":nth-child(), :contains(), descendant and > combinators, comma lists).");
        else rule = new FeatureRule(text, selector);
        return error is null;
    }
}
