using System.Net;
using Guidepost.Config.Entities;

namespace Guidepost.Ingestion.Pipeline;

/// <summary>The application a request writes to, with its ingestion settings compiled for fast checks.</summary>
public sealed class IngestionTarget
{
    public IngestionTarget(Application application)
    {
        SubscriptionId = application.SubscriptionId;
        ApplicationId = application.Id;
        Disabled = application.Disabled;
        var settings = application.Ingestion;
        ExcludedVisitors = [.. settings.ExcludedVisitorIds];
        ExcludedAccounts = [.. settings.ExcludedAccountIds];
        ExcludedNetworks = [.. settings.ExcludedIpRanges.Select(ParseNetwork)];
        PiiFields = settings.ExcludePii ? [.. settings.PiiFields] : [];
        CollectAnonymousVisitors = settings.CollectAnonymousVisitors;
        Agent = application.Agent;
    }

    public long SubscriptionId { get; }
    public long ApplicationId { get; }
    public bool Disabled { get; }
    public HashSet<string> ExcludedVisitors { get; }
    public HashSet<string> ExcludedAccounts { get; }
    public IPNetwork[] ExcludedNetworks { get; }

    /// <summary>Metadata fields never written; empty unless PII exclusion is on.</summary>
    public HashSet<string> PiiFields { get; }

    public bool CollectAnonymousVisitors { get; }

    /// <summary>What the application's agent captures, baked into the agent file served for it.</summary>
    public AgentSettings Agent { get; }

    /// <summary>"10.0.0.0/8" or a single address ("203.0.113.9").</summary>
    public static IPNetwork ParseNetwork(string range) =>
        IPNetwork.TryParse(range, out var network) ? network
        : IPAddress.TryParse(range, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : throw new FormatException($"'{range}' is neither an IP address nor a CIDR range.");
}
