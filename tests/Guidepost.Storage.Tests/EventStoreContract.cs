using Guidepost.Core.Events;

namespace Guidepost.Storage.Tests;

/// <summary>What every event store must do. Each implementation runs this suite against a real store;
/// expected answers are computed here with LINQ over the events the test wrote.</summary>
public abstract partial class EventStoreContract
{
    /// <summary>A store over the named storage; opening the same name twice is a reopen.</summary>
    protected abstract Task<IEventStore> OpenAsync(string storage);

    protected abstract string NewStorage();

    protected static StoredEvent Event(long subscription, long app, long browserTime, string visitor = "v1", string type = "load") => new()
    {
        SubscriptionId = subscription, ApplicationId = app, Type = type, BrowserTime = browserTime, ServerTime = browserTime + 250,
        VisitorId = visitor,
    };

    protected static MetadataUpdate Metadata(long subscription, string visitor, string field, string json, long at) =>
        new(subscription, EntityKind.Visitor, visitor, "agent", field, json, at);

    [Fact]
    public async Task Every_field_round_trips()
    {
        var store = await OpenAsync(NewStorage());
        var full = new StoredEvent
        {
            SubscriptionId = 11, ApplicationId = 22, Type = "click", BrowserTime = 1_700_000_001_234, ServerTime = 1_700_000_001_300,
            VisitorId = "visitor-ü-1", AccountId = "parent::child", SessionId = "k2J9xQ0pL4mN7bV1", TabId = "AbCdEfGhIjKlMnOp",
            FrameId = "QrStUvWxYz012345", Sequence = 3, Url = "http://127.0.0.1:8080/?q=1#h", Title = "Checkout",
            ElementPath = """[{"tag":"BUTTON","id":"buy"},{"tag":"BODY"}]""", TrackName = "Purchased",
            Properties = """{"plan":"pro","amount":42}""", RemoteIp = "203.0.113.9", UserAgent = "Mozilla/5.0 (X11; Linux x86_64)",
            Browser = "Chrome", BrowserVersion = "120", Os = "Linux", Device = "desktop", Language = "en_US",
        };
        var sparse = Event(11, 22, 1_700_000_001_235);
        await store.AppendAsync(IngestBatch.Of([full, sparse]), CancellationToken.None);

        var read = await store.ScanAsync(new EventScan(11, 22, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        read.ShouldBe([full, sparse]);

        // A scan that asks for some optional fields gets those, the identifying ones, and nulls for the rest.
        var lean = await store.ScanAsync(new EventScan(11, 22, 0, long.MaxValue, EventFields.Url | EventFields.TrackName | EventFields.UserAgent), CancellationToken.None).ToListAsync();
        lean[0].ShouldBe(new StoredEvent
        {
            SubscriptionId = 11, ApplicationId = 22, Type = "click", BrowserTime = full.BrowserTime, ServerTime = full.ServerTime, VisitorId = full.VisitorId,
            Sequence = 3, Url = full.Url, TrackName = full.TrackName, UserAgent = full.UserAgent, Browser = "Chrome", BrowserVersion = "120", Os = "Linux", Device = "desktop",
        });
        lean[1].ShouldBe(sparse);
    }

    [Fact]
    public async Task A_scan_returns_one_applications_half_open_range_in_time_order()
    {
        var store = await OpenAsync(NewStorage());
        var random = new Random(7);
        var written = Enumerable.Range(0, 600)
            .Select(i => Event(subscription: 1 + i % 2, app: 10 + i % 3, browserTime: 1_000_000 + random.Next(0, 10_000), visitor: $"v{i}"))
            .ToList();
        foreach (var batch in written.Chunk(100)) await store.AppendAsync(IngestBatch.Of(batch), CancellationToken.None);

        var scan = new EventScan(SubscriptionId: 1, ApplicationId: 11, FromMs: 1_002_000, ToMs: 1_008_000);
        var expected = written
            .Where(e => e.SubscriptionId == 1 && e.ApplicationId == 11 && e.BrowserTime >= 1_002_000 && e.BrowserTime < 1_008_000)
            .OrderBy(e => e.BrowserTime)
            .ToList();
        var read = await store.ScanAsync(scan, CancellationToken.None).ToListAsync();

        expected.Count.ShouldBeGreaterThan(10);
        read.Select(e => e.BrowserTime).ShouldBe(expected.Select(e => e.BrowserTime));
        read.OrderBy(e => e.VisitorId).ShouldBe(expected.OrderBy(e => e.VisitorId));
    }

    [Fact]
    public async Task A_scan_never_crosses_a_subscription()
    {
        var store = await OpenAsync(NewStorage());
        await store.AppendAsync(IngestBatch.Of([Event(1, 5, 100, "mine"), Event(2, 5, 100, "theirs")]), CancellationToken.None);

        var read = await store.ScanAsync(new EventScan(1, 5, 0, 1000), CancellationToken.None).ToListAsync();
        read.Select(e => e.VisitorId).ShouldBe(["mine"]);
    }

    [Fact]
    public async Task A_failing_batch_stores_nothing()
    {
        var store = await OpenAsync(NewStorage());
        await store.AppendAsync(IngestBatch.Of([Event(1, 1, 50)]), CancellationToken.None);
        var withNewStrings = Event(1, 1, 100) with { Url = "https://new.example/", TrackName = "New", UserAgent = "New UA" };
        var broken = Event(1, 1, 300) with { VisitorId = null! };

        await Should.ThrowAsync<Exception>(() => store.AppendAsync(
            new IngestBatch([withNewStrings, Event(1, 1, 200), broken], [Metadata(1, "v1", "email", "\"x@y.z\"", 1)], [new IdentityLink(1, "_PENDO_T_a", "v1", 1)]),
            CancellationToken.None));

        var read = await store.ScanAsync(new EventScan(1, 1, 0, 1000), CancellationToken.None).ToListAsync();
        read.Select(e => e.BrowserTime).ShouldBe([50L]);
        (await store.FindEntityAsync(1, EntityKind.Visitor, "v1", CancellationToken.None))!.Metadata.ShouldBeEmpty();
        (await store.FindIdentifiedVisitorAsync(1, "_PENDO_T_a", CancellationToken.None)).ShouldBeNull();

        // The strings the failed batch introduced are written correctly when a later batch uses them.
        await store.AppendAsync(IngestBatch.Of([withNewStrings]), CancellationToken.None);
        var again = await store.ScanAsync(new EventScan(1, 1, 100, 101), CancellationToken.None).ToListAsync();
        again.ShouldBe([withNewStrings]);
    }

    [Fact]
    public async Task Concurrent_appends_all_land()
    {
        var store = await OpenAsync(NewStorage());
        var batches = Enumerable.Range(0, 40)
            .Select(b => Enumerable.Range(0, 25).Select(i => Event(1, 1, b * 1000 + i, visitor: $"b{b}-{i}")).ToList())
            .ToList();

        await Task.WhenAll(batches.Select(batch => Task.Run(() => store.AppendAsync(IngestBatch.Of(batch), CancellationToken.None))));

        var read = await store.ScanAsync(new EventScan(1, 1, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        read.Select(e => e.VisitorId).Order().ShouldBe(batches.SelectMany(b => b).Select(e => e.VisitorId).Order());
    }

    [Fact]
    public async Task Appended_events_survive_reopening_the_store()
    {
        var storage = NewStorage();
        var written = Enumerable.Range(0, 30).Select(i => Event(3, 4, 1000 + i, $"v{i}")).ToList();
        var first = await OpenAsync(storage);
        await first.AppendAsync(IngestBatch.Of(written), CancellationToken.None);
        if (first is IAsyncDisposable disposable) await disposable.DisposeAsync();

        var reopened = await OpenAsync(storage);
        var read = await reopened.ScanAsync(new EventScan(3, 4, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        read.ShouldBe(written);
    }

    [Fact]
    public async Task A_re_sent_event_is_stored_once()
    {
        var store = await OpenAsync(NewStorage());
        var click = Event(1, 1, 1000, type: "click") with { TabId = "tab", FrameId = "frame", Sequence = 4 };
        var sameTimeOtherSequence = click with { Sequence = 5 };
        var apiTrack = Event(1, 1, 1000, type: "track") with { Source = EventSource.TrackApi, TrackName = "Paid", Properties = """{"n":1}""" };

        (await store.AppendAsync(IngestBatch.Of([click, click, sameTimeOtherSequence, apiTrack]), CancellationToken.None))
            .ShouldBe(new AppendResult(Stored: 3, Duplicates: 1));
        (await store.AppendAsync(IngestBatch.Of([click with { ServerTime = 99_999 }, apiTrack, apiTrack with { Properties = """{"n":2}""" }]), CancellationToken.None))
            .ShouldBe(new AppendResult(Stored: 1, Duplicates: 2));

        var read = await store.ScanAsync(new EventScan(1, 1, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        read.Count.ShouldBe(4);
        read.Single(e => e.Sequence == 4).ServerTime.ShouldBe(click.ServerTime, "the first delivery is the one kept");
    }

    [Fact]
    public async Task Visitors_and_accounts_keep_first_and_last_seen_and_the_latest_metadata()
    {
        var store = await OpenAsync(NewStorage());
        await store.AppendAsync(new IngestBatch(
            [Event(1, 1, 5000, "v1") with { AccountId = "acme" }, Event(1, 1, 3000, "v1")],
            [Metadata(1, "v1", "email", "\"new@acme.test\"", 5000), Metadata(1, "v1", "full_name", "\"Vee One\"", 5000)],
            []), CancellationToken.None);
        // A late event and an older metadata value arrive after the newer ones.
        await store.AppendAsync(new IngestBatch(
            [Event(1, 1, 1000, "v1")],
            [Metadata(1, "v1", "email", "\"old@acme.test\"", 1000), Metadata(1, "v1", "plan", "42", 1000)],
            []), CancellationToken.None);

        var visitor = (await store.FindEntityAsync(1, EntityKind.Visitor, "v1", CancellationToken.None))!;
        visitor.FirstSeen.ShouldBe(1000);
        visitor.LastSeen.ShouldBe(5000);
        visitor.Metadata["agent"].ShouldBe(new Dictionary<string, string>
        {
            ["email"] = "\"new@acme.test\"", ["full_name"] = "\"Vee One\"", ["plan"] = "42",
        });
        var account = (await store.FindEntityAsync(1, EntityKind.Account, "acme", CancellationToken.None))!;
        (account.FirstSeen, account.LastSeen).ShouldBe((5000L, 5000L));
        (await store.FindEntityAsync(2, EntityKind.Visitor, "v1", CancellationToken.None)).ShouldBeNull("another subscription's visitor");
        (await store.FindEntityAsync(1, EntityKind.Visitor, "nobody", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task An_anonymous_visitor_links_to_the_identified_one()
    {
        var store = await OpenAsync(NewStorage());
        await store.AppendAsync(new IngestBatch([], [], [new IdentityLink(1, "_PENDO_T_abc", "alice", 2000)]), CancellationToken.None);
        await store.AppendAsync(new IngestBatch([], [], [new IdentityLink(1, "_PENDO_T_abc", "stale", 1000)]), CancellationToken.None);

        (await store.FindIdentifiedVisitorAsync(1, "_PENDO_T_abc", CancellationToken.None)).ShouldBe("alice");
        (await store.FindIdentifiedVisitorAsync(2, "_PENDO_T_abc", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Visitors_list_in_id_order_with_the_accounts_their_events_named()
    {
        var store = await OpenAsync(NewStorage());
        var events = await AppendWithLateAnonymousEventAsync(store);
        await VisitorsShouldListTheirAccountsAsync(store, events);
        (await store.ListEntitiesAsync(1, EntityKind.Account, null, CancellationToken.None).ToListAsync()).ShouldAllBe(a => a.Accounts.Count == 0);
        (await store.ListEntitiesAsync(2, EntityKind.Visitor, null, CancellationToken.None).ToListAsync()).ShouldBeEmpty();
    }

    /// <summary>The queryable events, the anonymous id's naming accounts no one else names (it links to v1 after
    /// its events are stored), then one more event of the anonymous id after the link.</summary>
    protected static async Task<List<StoredEvent>> AppendWithLateAnonymousEventAsync(IEventStore store)
    {
        List<StoredEvent> events = [.. QueryableEvents().Select(e => e.VisitorId == "_PENDO_T_anon" && e.AccountId is not null ? e with { AccountId = "anon-" + e.AccountId } : e)];
        await AppendQueryableAsync(store, events);
        var late = events[0] with { VisitorId = "_PENDO_T_anon", AccountId = "late", BrowserTime = events[0].BrowserTime + 1, Sequence = 99_999 };
        await store.AppendAsync(IngestBatch.Of([late]), CancellationToken.None);
        events.Add(late);
        return events;
    }

    /// <summary>Every visitor in id order, each with the accounts its events (and, for v1, the anonymous id's) named.</summary>
    protected static async Task VisitorsShouldListTheirAccountsAsync(IEventStore store, List<StoredEvent> events)
    {
        List<string> AccountsOf(string visitor) => [.. events
            .Where(e => e.VisitorId == visitor || (visitor == "v1" && e.VisitorId == "_PENDO_T_anon"))
            .Select(e => e.AccountId).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
        var ids = events.Select(e => e.VisitorId).Distinct().Order(StringComparer.Ordinal).ToList();
        var listed = await store.ListEntitiesAsync(1, EntityKind.Visitor, null, CancellationToken.None).ToListAsync();
        listed.Select(v => v.Id).ShouldBe(ids);
        foreach (var visitor in listed)
        {
            visitor.Accounts.ShouldBe(AccountsOf(visitor.Id), visitor.Id);
            visitor.FirstSeen.ShouldBe(events.Where(e => e.VisitorId == visitor.Id).Min(e => e.BrowserTime));
        }
        AccountsOf("v1").ShouldContain("late");
        AccountsOf("v1").ShouldContain(a => a.StartsWith("anon-", StringComparison.Ordinal));
        (await store.FindEntityAsync(1, EntityKind.Visitor, "v1", CancellationToken.None))!.Accounts.ShouldBe(AccountsOf("v1"));
        (await store.ListEntitiesAsync(1, EntityKind.Visitor, ids[2], CancellationToken.None).ToListAsync()).Select(v => v.Id).ShouldBe(ids.Skip(3));
    }

    [Fact]
    public async Task Rollups_count_each_stored_event_once_per_quarter_hour_and_minute()
    {
        var store = await OpenAsync(NewStorage());
        var random = new Random(11);
        string[] types = ["load", "click", "track", "focus", "guideSeen"];
        var start = 1_700_000_000_000L;
        var events = Enumerable.Range(0, 3000).Select(i =>
        {
            var type = types[random.Next(types.Length)];
            return new StoredEvent
            {
                SubscriptionId = 1, ApplicationId = 2, Type = type, BrowserTime = start + random.NextInt64(0, 3 * 86_400_000L) / (i % 3 == 0 ? 1000 : 1),
                ServerTime = start, VisitorId = $"v{random.Next(12)}", AccountId = random.Next(4) == 0 ? null : $"a{random.Next(3)}",
                TabId = "t", FrameId = "f", Sequence = i, Url = $"https://app.example/p{random.Next(6)}",
                ElementPath = type == "click" ? $$"""[{"tag":"BUTTON","id":"b{{random.Next(5)}}"}]""" : null,
                TrackName = type == "track" ? $"Event {random.Next(4)}" : null,
            };
        }).ToList();
        // Delivered in random batches, with re-sends of earlier events mixed in.
        var deliveries = events.Concat(events.Where((_, i) => i % 7 == 0)).OrderBy(_ => random.Next()).ToList();
        foreach (var batch in deliveries.Chunk(97)) await store.AppendAsync(IngestBatch.Of(batch), CancellationToken.None);

        var expected = events
            .GroupBy(e => (Hour: e.BrowserTime / 3_600_000, Kind: e.Type switch { "load" => RollupKind.PageLoad, "click" => RollupKind.Click, "track" => RollupKind.Track, _ => RollupKind.Other },
                Signature: e.Type switch { "load" => e.Url, "click" => e.ElementPath, "track" => e.TrackName, _ => null }, e.Url, e.VisitorId, e.AccountId))
            .Select(g => new Rollup(1, 2, g.Key.Hour, g.Key.Kind, g.Key.Signature, g.Key.Url, g.Key.VisitorId, g.Key.AccountId,
                g.Count(e => e.BrowserTime / 60_000 % 60 / 15 == 0), g.Count(e => e.BrowserTime / 60_000 % 60 / 15 == 1),
                g.Count(e => e.BrowserTime / 60_000 % 60 / 15 == 2), g.Count(e => e.BrowserTime / 60_000 % 60 / 15 == 3),
                g.Aggregate(0UL, (mask, e) => mask | 1UL << (int)(e.BrowserTime / 60_000 % 60))))
            .ToList();

        var rollups = await store.ScanRollupsAsync(new EventScan(1, 2, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        rollups.ShouldBe(expected, ignoreOrder: true);
        rollups.Sum(r => r.Events).ShouldBe(events.Count);
        (await store.ScanRollupsAsync(new EventScan(2, 2, 0, long.MaxValue), CancellationToken.None).ToListAsync()).ShouldBeEmpty();
    }

    /// <summary>Random events of one application over three days, some by an anonymous visitor who identifies.</summary>
    protected static List<StoredEvent> QueryableEvents()
    {
        var random = new Random(5);
        string[] types = ["load", "click", "track", "focus"];
        var start = 1_700_000_000_000L;
        return [.. Enumerable.Range(0, 2000).Select(i =>
        {
            var type = types[random.Next(types.Length)];
            return new StoredEvent
            {
                SubscriptionId = 1, ApplicationId = 2, Type = type, BrowserTime = start + random.NextInt64(0, 3 * 86_400_000L), ServerTime = start,
                VisitorId = random.Next(10) == 0 ? "_PENDO_T_anon" : $"v{random.Next(8)}", AccountId = random.Next(5) == 0 ? null : $"a{random.Next(3)}",
                TabId = "t", FrameId = "f", Sequence = i, Url = $"https://app.example/p{random.Next(5)}",
                ElementPath = type == "click" ? $$"""[{"tag":"BUTTON","id":"b{{random.Next(4)}}"}]""" : null,
                TrackName = type == "track" ? $"Event {random.Next(3)}" : null,
            };
        })];
    }

    protected static async Task AppendQueryableAsync(IEventStore store, List<StoredEvent> events)
    {
        foreach (var batch in events.Chunk(150)) await store.AppendAsync(IngestBatch.Of(batch), CancellationToken.None);
        await store.AppendAsync(new IngestBatch([], [], [new IdentityLink(1, "_PENDO_T_anon", "v1", 1_700_000_000_000L)]), CancellationToken.None);
    }

    private const long QuartersFrom = 472_225 * 3_600_000L + 1_800_000, QuartersTo = 472_260 * 3_600_000L + 2_700_000;

    private static bool InQuarters(StoredEvent e) => e.BrowserTime / 900_000 * 900_000 is >= QuartersFrom and < QuartersTo;

    /// <summary>Every grouping and filter the reports use, answered by the store and by a recount.</summary>
    protected static async Task QueriesShouldMatchRecountAsync(IEventStore store, List<StoredEvent> events)
    {
        static RollupKind KindOf(StoredEvent e) => Rollup.Classify(e).Kind;
        string Who(StoredEvent e) => e.VisitorId == "_PENDO_T_anon" ? "v1" : e.VisitorId;
        var paths = await store.ListSignaturesAsync(1, 2, RollupKind.Click, 0, CancellationToken.None).ToListAsync();
        paths.Select(p => p.Value).Order().ShouldBe(events.Select(e => e.ElementPath).OfType<string>().Distinct().Order());
        var b1 = paths.Where(p => p.Value.Contains("b1") || p.Value.Contains("b2")).ToList();

        var cases = new (RollupQuery Query, Func<StoredEvent, bool> Filter, Func<StoredEvent, object> Key, Func<RollupTotal, object> Of)[]
        {
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Hour | RollupGrouping.Visitor | RollupGrouping.Account),
                _ => true, e => (e.BrowserTime / 3_600_000, Who(e), e.AccountId), t => (t.Hour, t.VisitorId!, t.AccountId)),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Visitor | RollupGrouping.Kind) { Kinds = [RollupKind.PageLoad, RollupKind.Other] },
                e => KindOf(e) is RollupKind.PageLoad or RollupKind.Other, e => (Who(e), KindOf(e)), t => (t.VisitorId!, t.Kind)),
            (new RollupQuery(1, [2], 472_223, 472_240, RollupGrouping.Hour | RollupGrouping.Signature) { Kinds = [RollupKind.Click], SignatureIds = [.. b1.Select(p => p.Id)] },
                e => e.ElementPath is { } p && (p.Contains("b1") || p.Contains("b2")) && e.BrowserTime / 3_600_000 is >= 472_223 and < 472_240,
                e => (e.BrowserTime / 3_600_000, b1.Single(p => p.Value == e.ElementPath).Id), t => (t.Hour, t.SignatureId)),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Hour | RollupGrouping.Account) { VisitorId = "v1" },
                e => Who(e) == "v1", e => (e.BrowserTime / 3_600_000, e.AccountId), t => (t.Hour, t.AccountId)),
            // Kinds summed (and, without visitors or accounts, hours grouped) by SQLite itself.
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Hour | RollupGrouping.Application) { Kinds = [RollupKind.Click, RollupKind.Track] },
                e => KindOf(e) is RollupKind.Click or RollupKind.Track, e => e.BrowserTime / 3_600_000, t => t.Hour),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Hour | RollupGrouping.Visitor),
                _ => true, e => (e.BrowserTime / 3_600_000, Who(e)), t => (t.Hour, t.VisitorId!)),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Hour) { VisitorId = "v1" },
                e => Who(e) == "v1", e => e.BrowserTime / 3_600_000, t => t.Hour),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Kind | RollupGrouping.Account) { Minutes = false },
                _ => true, e => (KindOf(e), e.AccountId), t => (t.Kind, t.AccountId)),
            (new RollupQuery(1, [2], 0, long.MaxValue, RollupGrouping.Signature) { Kinds = [RollupKind.Click], SignatureIds = [.. b1.Select(p => p.Id)] },
                e => e.ElementPath is { } p && (p.Contains("b1") || p.Contains("b2")), e => b1.Single(p => p.Value == e.ElementPath).Id, t => t.SignatureId),
            // A range that starts and ends inside an hour, summed across hours per visitor (activity) and per signature and visitor (rollups).
            (new RollupQuery(1, [2], QuartersFrom / 3_600_000, QuartersTo / 3_600_000 + 1, RollupGrouping.Visitor | RollupGrouping.Application)
                { Minutes = false, Quarters = (QuartersFrom, QuartersTo) },
                InQuarters, e => Who(e), t => t.VisitorId!),
            (new RollupQuery(1, [2], QuartersFrom / 3_600_000, QuartersTo / 3_600_000 + 1, RollupGrouping.Signature | RollupGrouping.Visitor)
                { Kinds = [RollupKind.Click], SignatureIds = [.. b1.Select(p => p.Id)], Minutes = false, Quarters = (QuartersFrom, QuartersTo) },
                e => InQuarters(e) && e.ElementPath is { } p && (p.Contains("b1") || p.Contains("b2")),
                e => (b1.Single(p => p.Value == e.ElementPath).Id, Who(e)), t => (t.SignatureId, t.VisitorId!)),
        };
        foreach (var (query, filter, key, of) in cases)
        {
            var expected = events.Where(filter).GroupBy(key).ToDictionary(g => g.Key, g => (
                Q: string.Join(",", Enumerable.Range(0, 4).Select(q => g.Count(e => e.BrowserTime / 60_000 % 60 / 15 == q))),
                Minutes: g.Aggregate(0UL, (mask, e) => mask | 1UL << (int)(e.BrowserTime / 60_000 % 60))));
            var actual = await store.QueryRollupsAsync(query, CancellationToken.None).ToListAsync();
            actual.Count.ShouldBe(expected.Count, query.GroupBy.ToString());
            foreach (var total in actual)
            {
                var (q, minutes) = expected[of(total)];
                $"{total.EventsQ0},{total.EventsQ1},{total.EventsQ2},{total.EventsQ3}".ShouldBe(q, query.GroupBy.ToString());
                if (query.GroupBy.HasFlag(RollupGrouping.Hour)) total.Minutes.ShouldBe(minutes);
            }
        }
        (await store.QueryRollupsAsync(new RollupQuery(9, [2], 0, long.MaxValue, RollupGrouping.Visitor), CancellationToken.None).ToListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rollup_queries_group_and_filter_as_a_recount_does()
    {
        var store = await OpenAsync(NewStorage());
        var events = QueryableEvents();
        await AppendQueryableAsync(store, events);
        await QueriesShouldMatchRecountAsync(store, events);
    }

    [Fact]
    public async Task A_working_store_reports_itself_healthy()
    {
        var store = await OpenAsync(NewStorage());
        var status = await store.CheckAsync(CancellationToken.None);
        status.Healthy.ShouldBeTrue(status.Detail);
        status.Provider.ShouldNotBeNullOrWhiteSpace();
    }
}
