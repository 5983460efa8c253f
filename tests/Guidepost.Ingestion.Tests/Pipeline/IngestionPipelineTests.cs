using Guidepost.Config.Entities;
using Guidepost.Core.Events;
using Guidepost.Ingestion.Pipeline;

namespace Guidepost.Ingestion.Tests.Pipeline;

public sealed class IngestionPipelineTests
{
    private static IngestionTarget Target(IngestionSettings settings) =>
        new(new Application { Id = 8, SubscriptionId = 7, Name = "app", ApiKey = "k", Ingestion = settings });

    private static StoredEvent Event(string visitor, string? account = null, string type = "load", string? props = null, string ip = "198.51.100.1") => new()
    {
        SubscriptionId = 7, ApplicationId = 8, Type = type, BrowserTime = 1000, ServerTime = 2000, VisitorId = visitor, AccountId = account,
        Properties = props, RemoteIp = ip,
    };

    [Fact]
    public void Exclusions_drop_events_and_say_why()
    {
        var target = Target(new IngestionSettings
        {
            ExcludedVisitorIds = ["qa-bot"], ExcludedAccountIds = ["internal"], ExcludedIpRanges = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"],
        });
        var events = new[]
        {
            Event("alice"), Event("qa-bot"), Event("bob", "internal"), Event("carol", "acme", ip: "10.1.2.3"),
            Event("dave", ip: "2001:db8::5"), Event("erin", ip: "192.0.2.7"), Event("frank", ip: "::ffff:10.9.9.9"), Event("gina", ip: "192.0.2.8"),
        };

        var outcome = IngestionPipeline.Process(events, target);

        outcome.Batch.Events.Select(e => e.VisitorId).ShouldBe(["alice", "gina"]);
        outcome.Dropped.ShouldBe(new Dictionary<DropReason, int>
        {
            [DropReason.ExcludedVisitor] = 1, [DropReason.ExcludedAccount] = 1, [DropReason.ExcludedIp] = 4,
        });
    }

    [Fact]
    public void Anonymous_visitors_are_dropped_only_when_collection_is_off()
    {
        var events = new[] { Event("_PENDO_T_abcdefghijk"), Event("known") };
        IngestionPipeline.Process(events, Target(new IngestionSettings())).Batch.Events.Count.ShouldBe(2);

        var off = IngestionPipeline.Process(events, Target(new IngestionSettings { CollectAnonymousVisitors = false }));
        off.Batch.Events.Select(e => e.VisitorId).ShouldBe(["known"]);
        off.Dropped[DropReason.AnonymousVisitor].ShouldBe(1);
    }

    private const string Meta = """
        {"visitor":{"id":"v1","email":"v1@example.test","full_name":"Vee","language":"en_US"},
         "account":{"id":"child","name":"Acme EU","email":"billing@acme.test"},"parentAccount":{"id":"acme","plan":"gold"},"date":"22/11/2025"}
        """;

    [Fact]
    public void Meta_events_set_agent_metadata_of_visitor_account_and_parent()
    {
        var outcome = IngestionPipeline.Process([Event("v1", "acme::child", "meta", Meta)], Target(new IngestionSettings()));

        outcome.Batch.Metadata.Select(m => (m.Kind, m.EntityId, m.Group, m.Field, m.JsonValue, m.At)).ShouldBe(
        [
            (EntityKind.Visitor, "v1", "agent", "email", "\"v1@example.test\"", 1000L),
            (EntityKind.Visitor, "v1", "agent", "full_name", "\"Vee\"", 1000L),
            (EntityKind.Visitor, "v1", "agent", "language", "\"en_US\"", 1000L),
            (EntityKind.Account, "acme::child", "agent", "name", "\"Acme EU\"", 1000L),
            (EntityKind.Account, "acme::child", "agent", "email", "\"billing@acme.test\"", 1000L),
            (EntityKind.Account, "acme", "agent", "plan", "\"gold\"", 1000L),
        ]);
    }

    [Fact]
    public void Pii_fields_are_written_nowhere_when_excluded()
    {
        var target = Target(new IngestionSettings { ExcludePii = true, PiiFields = ["email", "full_name"] });
        var outcome = IngestionPipeline.Process([Event("v1", "acme::child", "meta", Meta)], target);

        outcome.Batch.Events.Single().Properties!.ShouldNotContain("@");
        outcome.Batch.Events.Single().Properties!.ShouldNotContain("Vee");
        outcome.Batch.Metadata.Select(m => m.Field).ShouldBe(["language", "name", "plan"]);
    }

    [Fact]
    public void An_identify_from_an_anonymous_visitor_links_the_two()
    {
        var identify = Event("alice", type: "identify", props: """{"old_visitor_id":"_PENDO_T_x8Kq2LmN0pQ","visitor_id":"alice"}""");
        var accountChange = Event("bob", type: "identify", props: """{"old_visitor_id":"bob","old_account_id":"a","account_id":"b"}""");

        var outcome = IngestionPipeline.Process([identify, accountChange], Target(new IngestionSettings()));

        outcome.Batch.Links.ShouldBe([new IdentityLink(7, "_PENDO_T_x8Kq2LmN0pQ", "alice", 1000)]);
        outcome.Batch.Events.Count.ShouldBe(2);
    }

    [Fact]
    public void Nothing_is_derived_from_an_excluded_event()
    {
        var target = Target(new IngestionSettings { ExcludedVisitorIds = ["v1"] });
        var outcome = IngestionPipeline.Process([Event("v1", "acme", "meta", Meta)], target);
        outcome.Batch.IsEmpty.ShouldBeTrue();
    }
}
