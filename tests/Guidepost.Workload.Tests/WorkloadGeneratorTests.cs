using System.Text.Json;
using Guidepost.Ingestion;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Workload.Tests;

public sealed class WorkloadGeneratorTests
{
    private static readonly WorkloadOptions Small = new() { TargetEvents = 20_000, Visitors = 800, Accounts = 90, DuplicateShare = 0.1 };
    private static readonly Workload Generated = new WorkloadGenerator(Small).Generate();

    private sealed record Decoded(string Type, long Time, string Visitor, string Tab, string Frame, long Sequence, JsonElement Props);

    /// <summary>The deliveries read back with a plain JSON parser, independently of the generator's bookkeeping.</summary>
    private static IEnumerable<(Delivery Delivery, Decoded Event)> DecodeAll() =>
        Generated.Deliveries.SelectMany(d =>
        {
            using var json = JsonDocument.Parse(Jzb.Decode(d.Jzb, 1 << 20, 1 << 24));
            return json.RootElement.EnumerateArray().Select(e => (d, new Decoded(
                e.GetProperty("type").GetString()!, e.GetProperty("browser_time").GetInt64(), e.GetProperty("visitor_id").GetString()!,
                e.GetProperty("tabId").GetString()!, e.GetProperty("frameId").GetString()!, e.GetProperty("sequence").GetInt64(),
                e.GetProperty("props").Clone()))).ToList();
        });

    [Fact]
    public void The_same_seed_gives_the_same_workload()
    {
        var again = new WorkloadGenerator(Small).Generate();
        again.Deliveries.Select(d => d.Jzb).ShouldBe(Generated.Deliveries.Select(d => d.Jzb));
        new WorkloadGenerator(Small with { Seed = 7 }).Generate().Deliveries[0].Jzb.ShouldNotBe(Generated.Deliveries[0].Jzb);
    }

    [Fact]
    public void The_ground_truth_matches_an_independent_recount_of_the_deliveries()
    {
        var distinct = DecodeAll().Select(x => x.Event with { Props = default }).Distinct().ToList();

        Generated.Truth.Events.Count.ShouldBeGreaterThanOrEqualTo(Small.TargetEvents);
        distinct.Count.ShouldBe(Generated.Truth.Events.Count);
        distinct.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count()).ShouldBe(Generated.Truth.CountByType(), ignoreOrder: true);
        distinct.Select(e => e.Visitor).Distinct().Count().ShouldBe(Generated.Truth.DistinctVisitors);
        Generated.Truth.CountByType().Keys.ShouldBe(["load", "identify", "meta", "click", "focus", "track"], ignoreOrder: true);
    }

    [Fact]
    public void Anonymous_visitors_identify_and_the_links_are_known()
    {
        var links = DecodeAll()
            .Where(x => x.Event.Type == "identify" && x.Event.Props.TryGetProperty("old_visitor_id", out _))
            .Select(x => (x.Event.Props.GetProperty("old_visitor_id").GetString()!, x.Event.Visitor))
            .Distinct().ToDictionary(l => l.Item1, l => l.Visitor);

        links.Count.ShouldBeGreaterThan(10);
        links.Keys.ShouldAllBe(id => id.StartsWith("_PENDO_T_") && id.Length == 20);
        links.ShouldBe(Generated.Truth.IdentityLinks, ignoreOrder: true);
    }

    [Fact]
    public void Duplicates_and_late_deliveries_come_at_the_configured_rate()
    {
        var duplicates = Generated.Deliveries.Count(d => d.IsDuplicate) / (double)Generated.Deliveries.Count(d => !d.IsDuplicate);
        duplicates.ShouldBeInRange(0.07, 0.13);
        Generated.Deliveries.Select(d => d.SentAt).ShouldBeInOrder();
        Generated.Deliveries.Where(d => d.IsDuplicate).ShouldAllBe(d => Generated.Deliveries.Any(o => !o.IsDuplicate && o.Jzb == d.Jzb));
    }

    [Fact]
    public void Every_payload_is_accepted_by_the_agent_payload_reader()
    {
        var reader = new AgentPayloadReader(new IngestionOptions());
        var context = new RequestContext(1, 2, Small.EndMs, null, null, null, null);
        var read = Generated.Deliveries.Sum(d => reader.Read(Jzb.Decode(d.Jzb, 1 << 20, 1 << 24), context).Count);
        read.ShouldBe(Generated.Deliveries.Sum(d => d.EventCount));
        Generated.Deliveries.ShouldAllBe(d => d.Jzb.Length <= 64 * 1024);
    }
}
