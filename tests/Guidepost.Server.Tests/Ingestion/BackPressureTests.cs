using Guidepost.Core.Guides;
using System.Net;
using Guidepost.Core.Events;
using Guidepost.Storage.Sqlite;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Guidepost.Testing.AgentPayloads;

namespace Guidepost.Server.Tests.Ingestion;

/// <summary>When the store falls behind, the queue fills and new requests get 503 with Retry-After
/// instead of being held or dropped; a 2xx is only sent after the commit.</summary>
public sealed class BackPressureTests
{
    /// <summary>The real store, behind a gate the test opens when it wants writes to finish.</summary>
    private sealed class GatedStore(SqliteEventStore inner) : IEventStore
    {
        public readonly TaskCompletionSource Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<AppendResult> AppendAsync(IngestBatch batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Gate.Task;
            return await inner.AppendAsync(batch, cancellationToken);
        }

        public IAsyncEnumerable<StoredEvent> ScanAsync(EventScan scan, CancellationToken cancellationToken) => inner.ScanAsync(scan, cancellationToken);
        public IAsyncEnumerable<Rollup> ScanRollupsAsync(EventScan scan, CancellationToken cancellationToken) => inner.ScanRollupsAsync(scan, cancellationToken);
        public IAsyncEnumerable<Signature> ListSignaturesAsync(long s, long a, RollupKind k, long after, CancellationToken c) => inner.ListSignaturesAsync(s, a, k, after, c);
        public IAsyncEnumerable<RollupTotal> QueryRollupsAsync(RollupQuery query, CancellationToken c) => inner.QueryRollupsAsync(query, c);
        public Task<EntityRecord?> FindEntityAsync(long s, EntityKind k, string id, CancellationToken c) => inner.FindEntityAsync(s, k, id, c);
        public IAsyncEnumerable<EntityRecord> ListEntitiesAsync(long s, EntityKind k, string? after, CancellationToken c) => inner.ListEntitiesAsync(s, k, after, c);
        public Task<string?> FindIdentifiedVisitorAsync(long s, string a, CancellationToken c) => inner.FindIdentifiedVisitorAsync(s, a, c);
        public Task<IReadOnlyList<GuideStepState>> ListGuideStatesAsync(long s, string v, CancellationToken c) => inner.ListGuideStatesAsync(s, v, c);
        public Task AppendDiagnosticAsync(AgentDiagnostic d, CancellationToken c) => inner.AppendDiagnosticAsync(d, c);
        public Task<StoreStatus> CheckAsync(CancellationToken c) => inner.CheckAsync(c);
    }

    [Fact]
    public async Task A_full_queue_answers_503_and_acknowledges_only_after_the_commit()
    {
        GatedStore? gated = null;
        await using var gp = await TestInstallation.StartAsync(
            new Dictionary<string, string?> { ["Guidepost:Ingestion:MaxQueuedEvents"] = "3" },
            services: s => s.Replace(ServiceDescriptor.Singleton<IEventStore>(sp => gated = new GatedStore(sp.GetRequiredService<SqliteEventStore>()))));
        var (app, target) = (gp.App, gp.Target);
        var client = app.CreateClient();

        var first = client.GetAsync($"/data/ptm.gif/{target.ApiKey}?jzb={Jzb(Load("a", "https://x/", T0, 0), Load("a", "https://x/", T0, 1))}");
        await gated!.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        first.IsCompleted.ShouldBeFalse("no answer before the events are committed");

        var refused = await client.GetAsync($"/data/ptm.gif/{target.ApiKey}?jzb={Jzb(Load("b", "https://x/", T0, 0), Load("b", "https://x/", T0, 1))}");
        (await refused.ShouldBeErrorAsync(HttpStatusCode.ServiceUnavailable)).ShouldContain("retry");
        refused.Headers.RetryAfter.ShouldNotBeNull();

        gated.Gate.SetResult();
        (await first).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await app.Services.GetRequiredService<IEventStore>()
            .ScanAsync(new EventScan(target.SubscriptionId, target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        stored.Select(e => e.VisitorId).ShouldBe(["a", "a"]);

        // With room again, the refused batch goes through on retry.
        (await client.GetAsync($"/data/ptm.gif/{target.ApiKey}?jzb={Jzb(Load("b", "https://x/", T0, 0), Load("b", "https://x/", T0, 1))}&rt=1"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
