using System.Collections.Concurrent;
using System.Net;
using Guidepost.Core.Events;
using Guidepost.Storage.Sqlite;
using Guidepost.Testing;
using static Guidepost.Testing.AgentPayloads;

namespace Guidepost.Server.Tests.Ingestion;

/// <summary>A 2xx is a promise: a server killed with SIGKILL mid-traffic loses none of the events it
/// acknowledged, and never leaves half of a request's batch behind.</summary>
public sealed class CrashDurabilityTests : IDisposable
{
    private const int EventsPerBatch = 20;
    private readonly TestDirectory _data = new();

    [Fact]
    public async Task Killing_the_server_loses_no_acknowledged_event()
    {
        var bootstrap = Bootstrap.NewRandom();
        var acknowledged = new ConcurrentBag<string>();
        long subscriptionId, applicationId;

        await using (var server = await ServerProcess.StartAsync(_data.Path, bootstrap.Settings))
        {
            using var admin = server.CreateClient();
            admin.DefaultRequestHeaders.Add(GuidepostApp.IntegrationKeyHeader, bootstrap.IntegrationKey);
            var target = await DefaultApplications.FindAsync(admin);
            (subscriptionId, applicationId) = (target.SubscriptionId, target.ApplicationId);

            using var stop = new CancellationTokenSource();
            var next = 0;
            var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                using var client = server.CreateClient();
                while (!stop.IsCancellationRequested)
                {
                    var batch = $"batch-{Interlocked.Increment(ref next)}";
                    var events = Enumerable.Range(0, EventsPerBatch).Select(i => Load(batch, $"https://app.example/p{i}", T0 + i, i)).ToArray();
                    try
                    {
                        var response = await client.PostAsync($"/data/ptm.gif/{bootstrap.ApiKey}", new StringContent($$"""{"events":"{{Jzb(events)}}"}"""));
                        if (response.StatusCode == HttpStatusCode.OK) acknowledged.Add(batch);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();

            while (acknowledged.Count < 300) await Task.Delay(20);
            await server.KillAsync(); // SIGKILL while the senders are mid-request
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        await using var store = new SqliteEventStore(_data.File("events.db"));
        await store.InitializeAsync(CancellationToken.None);
        var stored = await store.ScanAsync(new EventScan(subscriptionId, applicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync();
        var perBatch = stored.GroupBy(e => e.VisitorId).ToDictionary(g => g.Key, g => g.Count());

        foreach (var batch in acknowledged) perBatch.GetValueOrDefault(batch).ShouldBe(EventsPerBatch, $"{batch} was acknowledged");
        perBatch.Values.ShouldAllBe(count => count == EventsPerBatch, "no batch is stored in part");
        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(300);
    }

    public void Dispose() => _data.Dispose();
}
