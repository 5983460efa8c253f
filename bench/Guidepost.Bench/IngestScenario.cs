using System.Diagnostics;
using System.Net;
using Guidepost.Core.Events;
using Guidepost.Ingestion;
using Guidepost.Ingestion.Wire;
using Guidepost.Storage.Sqlite;
using Guidepost.Testing;
using Guidepost.Workload;

namespace Guidepost.Bench;

/// <summary>Agent traffic posted over HTTP by concurrent clients to a real server process, against a
/// raw batched insert of the same rows into the same kind of store, in the same run.</summary>
internal static class IngestScenario
{
    private const int RawBatchSize = 1_000;

    public static async Task<string> RunAsync(BenchArgs args)
    {
        var events = args.Int("events", 1_000_000);
        var clients = args.Int("clients", 16);
        var batch = args.Int("batch", 25);
        var repeat = args.Int("repeat", 3);
        var options = new WorkloadOptions
        {
            Seed = args.Int("seed", 42), TargetEvents = events, Visitors = Math.Max(100, events / 40), Accounts = Math.Max(10, events / 400),
        };
        Console.Error.WriteLine($"Generating about {events:N0} events (seed {options.Seed}), twice: agent-shaped and {batch}-event payloads...");
        var agentShaped = new WorkloadGenerator(options).Generate();
        var batched = new WorkloadGenerator(options with { EventsPerPayload = batch }).Generate();

        var results = new List<(string Name, Workload.Workload Workload, HttpResult Result)>();
        foreach (var (name, workload) in new[] { ("agent payloads", agentShaped), ($"{batch}-event payloads", batched) })
        {
            var perRequest = workload.Deliveries.Sum(d => d.EventCount) / (double)workload.Deliveries.Count;
            // The machine is noisy: each row is the median of several runs, each on a fresh server and store.
            var runs = new List<HttpResult>();
            for (var run = 0; run < repeat; run++) runs.Add(await MeasureHttpAsync(workload, clients));
            var median = runs.OrderBy(r => r.Events / r.Seconds).ElementAt(runs.Count / 2);
            results.Add(($"HTTP, {clients} clients, {name} ({perRequest:F1} events/request)", workload, median with
            {
                // Every run must store exactly the generated events, not only the median one.
                StoredDistinct = runs.All(r => r.StoredDistinct == workload.Truth.Events.Count) ? median.StoredDistinct : runs.Min(r => r.StoredDistinct),
            }));
        }
        var rawRuns = new List<RawResult>();
        for (var run = 0; run < repeat; run++) rawRuns.Add(await MeasureRawAsync(agentShaped, results[0].Result.SubscriptionId, results[0].Result.ApplicationId));
        var raw = rawRuns.OrderBy(r => r.Rate).ElementAt(rawRuns.Count / 2);

        var rows = results.Select(r => Row(r.Name, r.Result.Events, r.Result.Seconds, r.Result.P50, r.Result.P99, r.Result.PeakRssMb, raw.Rate)).ToList();
        rows.Add(Row($"raw batched insert ({RawBatchSize:N0} rows per commit)", raw.Events, raw.Seconds, null, null, null, raw.Rate));
        var table = MarkdownTable.Render(["scenario", "events", "events/s", "p50 ms", "p99 ms", "peak RSS MB", "vs raw"], rows);
        var notes = results.Select(r =>
            $"{r.Name}: {r.Workload.Deliveries.Count:N0} requests ({r.Workload.Deliveries.Count(d => d.IsDuplicate):N0} duplicate re-sends, " +
            $"{r.Result.Busy:N0} answers of 503 retried); " +
            (r.Result.StoredDistinct == r.Workload.Truth.Events.Count
                ? $"PASS: the store holds exactly the {r.Workload.Truth.Events.Count:N0} distinct events generated"
                : $"FAIL: the store holds {r.Result.StoredDistinct:N0} events; the generator made {r.Workload.Truth.Events.Count:N0} distinct ones"));
        return table + $"\nMedians of {repeat} runs each. " + string.Join("\n", notes) + "\n";
    }

    private static List<string> Row(string name, long events, double seconds, double? p50, double? p99, double? rss, double rawRate)
    {
        var rate = events / seconds;
        return [name, events.ToString("N0"), rate.ToString("N0"), p50?.ToString("F1") ?? "n/a", p99?.ToString("F1") ?? "n/a",
            rss?.ToString("N0") ?? "n/a", (rate / rawRate).ToString("F2")];
    }

    private sealed record HttpResult(long Events, double Seconds, double P50, double P99, double PeakRssMb, int Busy, long StoredDistinct,
        long SubscriptionId, long ApplicationId);

    private static async Task<HttpResult> MeasureHttpAsync(Workload.Workload workload, int clients)
    {
        var data = Directory.CreateTempSubdirectory("guidepost-bench-").FullName;
        try
        {
            var apiKey = Guid.NewGuid().ToString();
            var integrationKey = "bench-" + Guid.NewGuid().ToString("N");
            var settings = new Dictionary<string, string?>
            {
                ["Guidepost:Bootstrap:ApiKey"] = apiKey, ["Guidepost:Bootstrap:IntegrationKey"] = integrationKey,
                ["Guidepost:Bootstrap:AdminPassword"] = "bench-password",
            };
            long subscriptionId, applicationId;
            int busy = 0;
            var latencies = new double[workload.Deliveries.Count];
            long accepted = 0;
            double seconds, peakRss;

            await using (var server = await ServerProcess.StartAsync(data, settings))
            {
                using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
                using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
                using var admin = server.CreateClient();
                admin.DefaultRequestHeaders.Add(GuidepostApp.IntegrationKeyHeader, integrationKey);
                var target = await DefaultApplications.FindAsync(admin);
                (subscriptionId, applicationId) = (target.SubscriptionId, target.ApplicationId);

                var warmUp = workload.Deliveries.Count / 50;
                for (var i = 0; i < warmUp; i++) busy += await SendAsync(client, apiKey, workload.Deliveries[i]);

                Console.Error.WriteLine($"Posting {workload.Deliveries.Count - warmUp:N0} requests with {clients} clients...");
                var next = warmUp - 1;
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
                {
                    for (int i; (i = Interlocked.Increment(ref next)) < workload.Deliveries.Count;)
                    {
                        var started = Stopwatch.GetTimestamp();
                        var delivery = workload.Deliveries[i];
                        Interlocked.Add(ref busy, await SendAsync(client, apiKey, delivery));
                        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        Interlocked.Add(ref accepted, delivery.EventCount);
                    }
                })));
                seconds = clock.Elapsed.TotalSeconds;
                peakRss = server.PeakResidentBytes() / 1024.0 / 1024.0;
                await server.KillAsync(); // what was acknowledged is durable; this proves it once more
            }

            await using var store = new SqliteEventStore(Path.Combine(data, "events.db"));
            await store.InitializeAsync(CancellationToken.None);
            var stored = await store.ScanAsync(new EventScan(subscriptionId, applicationId, 0, long.MaxValue), CancellationToken.None).LongCountAsync();
            var timed = latencies.Skip(workload.Deliveries.Count / 50).Order().ToArray();
            return new HttpResult(accepted, seconds, Percentile(timed, 0.50), Percentile(timed, 0.99), peakRss, busy, stored, subscriptionId, applicationId);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Sends until accepted; returns how many times the server said it was busy.</summary>
    private static async Task<int> SendAsync(HttpClient client, string apiKey, Delivery delivery)
    {
        var url = $"/data/ptm.gif/{apiKey}?v=2.291.4_prod&ct={delivery.SentAt}&s={delivery.Jzb.Length}" + (delivery.IsTrack ? "&type=track" : "");
        for (var busy = 0; ; busy++)
        {
            using var response = await client.PostAsync(url, new StringContent($$"""{"events":"{{delivery.Jzb}}"}"""));
            if (response.StatusCode == HttpStatusCode.OK) return busy;
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                throw new InvalidOperationException($"The server answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private sealed record RawResult(long Events, double Seconds)
    {
        public double Rate => Events / Seconds;
    }

    private static async Task<RawResult> MeasureRawAsync(Workload.Workload workload, long subscriptionId, long applicationId)
    {
        Console.Error.WriteLine("Decoding the same payloads for the raw insert...");
        var reader = new AgentPayloadReader(new IngestionOptions());
        var context = new RequestContext(subscriptionId, applicationId, workload.Deliveries[0].SentAt, "127.0.0.1", null, null, null);
        var rows = workload.Deliveries.SelectMany(d => reader.Read(Jzb.Decode(d.Jzb, 1 << 20, 1 << 24), context)).ToList();

        var data = Directory.CreateTempSubdirectory("guidepost-bench-raw-").FullName;
        try
        {
            await using var store = new SqliteEventStore(Path.Combine(data, "events.db"));
            await store.InitializeAsync(CancellationToken.None);
            Console.Error.WriteLine($"Inserting {rows.Count:N0} rows directly...");
            var clock = Stopwatch.StartNew();
            foreach (var batch in rows.Chunk(RawBatchSize)) await store.AppendAsync(IngestBatch.Of(batch), CancellationToken.None);
            return new RawResult(rows.Count, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
