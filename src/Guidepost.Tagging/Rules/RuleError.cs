namespace Guidepost.Tagging.Rules;

/// <summary>Why a rule cannot be used, in words for the person who wrote it.</summary>
/// <param name="Position">Zero-based character offset of the problem in the rule, when there is one.</param>
public sealed record RuleError(string Rule, string Problem, int? Position = null)
{
    public override string ToString() =>
        Position is { } at ? $"'{Rule}' at character {at + 1}: {Problem}" : $"'{Rule}': {Problem}";
}
