using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Guidepost.Core.Time;
using Guidepost.Ingestion.Pipeline;

namespace Guidepost.Server.Tenancy;

/// <summary>An IANA time zone such as "Europe/Paris".</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || value is string id && TimeZones.IsKnown(id)
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not an IANA time zone such as \"UTC\" or \"Europe/Paris\".");
}

/// <summary>IP addresses or CIDR ranges such as "10.0.0.0/8".</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IpRangesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        foreach (var range in value as IEnumerable<string> ?? [])
        {
            try
            {
                IngestionTarget.ParseNetwork(range?.Trim() ?? "");
            }
            catch (FormatException e)
            {
                return new ValidationResult(e.Message);
            }
        }
        return ValidationResult.Success;
    }
}

/// <summary>Metadata field names as Pendo allows them: letters, digits and underscores, not starting with a digit.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed partial class MetadataFieldNamesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        var names = (value as IEnumerable<string?>)?.ToList() ?? [];
        var bad = names.FindIndex(name => name is null || name.Length > 64 || !FieldName().IsMatch(name));
        return bad < 0
            ? ValidationResult.Success
            : new ValidationResult($"'{names[bad]}' is not a metadata field name (letters, digits and underscores, not starting with a digit).");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex FieldName();
}

/// <summary>Up to 50 bare host names or IP addresses (no scheme, path or port).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class HostNamesAttribute : ValidationAttribute
{
    public const int MaxHosts = 50;

    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        if (value is not IEnumerable<string> hosts) return ValidationResult.Success;
        var list = hosts.ToList();
        if (list.Count > MaxHosts) return new ValidationResult($"At most {MaxHosts} hosts are allowed; got {list.Count}.");
        var bad = list.FindIndex(h => h is null || h.Length > 253 || Uri.CheckHostName(h) is UriHostNameType.Unknown or UriHostNameType.Basic);
        return bad < 0
            ? ValidationResult.Success
            : new ValidationResult($"'{list[bad]}' is not a host name such as \"staging.example.com\".");
    }
}

/// <summary>HTML attribute names such as <c>data-testid</c> or <c>aria-label</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed partial class HtmlAttributeNamesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        var names = (value as IEnumerable<string?>)?.ToList() ?? [];
        var bad = names.FindIndex(name => name is null || name.Length > 64 || !AttributeName().IsMatch(name));
        return bad < 0
            ? ValidationResult.Success
            : new ValidationResult($"'{names[bad]}' is not an HTML attribute name such as \"data-testid\" (a letter, then letters, digits, '-', '_', ':' or '.').");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_:.-]*$")]
    private static partial Regex AttributeName();
}
