using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Guidepost.Testing;

namespace Guidepost.Bench;

/// <summary><c>guide.json</c> latency on a real server process for visitors with 50 candidate guides, 20 segments
/// and a history of guide events, against the cheapest agent request (the <c>guide.gif</c> probe) on the same
/// server in the same run. Every answer's guides are checked against the segment membership the generator set up.</summary>
internal static class GuidesScenario
{
    private const double TargetP99Ms = 20;
    private const int Guides = 50;
    private const int Segments = 20;
    private const string EmptyJzb = "eJwFwIEIAAAAwDDQd3-N1QABFQC5";

    public static async Task<string> RunAsync(BenchArgs args)
    {
        var visitors = args.Int("visitors", 2_000);
        var requests = args.Int("requests", 5_000);
        var random = new Random(args.Int("seed", 42));
        var data = Directory.CreateTempSubdirectory("guidepost-bench-guides-").FullName;
        try
        {
            var apiKey = Guid.NewGuid().ToString();
            var integrationKey = "bench-" + Guid.NewGuid().ToString("N");
            await using var server = await ServerProcess.StartAsync(data, new Dictionary<string, string?>
            {
                ["Guidepost:Bootstrap:ApiKey"] = apiKey, ["Guidepost:Bootstrap:IntegrationKey"] = integrationKey, ["Guidepost:Bootstrap:AdminPassword"] = "bench-password",
            });
            using var admin = server.CreateClient();
            admin.DefaultRequestHeaders.Add(GuidepostApp.IntegrationKeyHeader, integrationKey);
            using var agent = server.CreateClient();

            Console.Error.WriteLine($"Setting up {Segments} segments, {Guides} guides and {visitors:N0} visitors...");
            (await admin.PostJsonAsync("/api/v1/metadata/schema/visitor/custom", new[] { new { name = "tier", displayname = "Tier", type = "number" } })).EnsureSuccessStatusCode();
            // Segment s holds the identified visitors whose tier is at least 2^s: membership is known without asking the server.
            var segmentIds = new List<string>();
            for (var s = 0; s < Segments; s++)
            {
                var rules = new { and = new object[] { new { field = "custom.tier", op = "gte", value = 1 << s }, new { anonymous = false } } };
                var created = await (await admin.PostJsonAsync("/api/v1/segment", new { name = $"Segment {s}", rules })).ShouldBeJsonAsync(HttpStatusCode.Created);
                segmentIds.Add(created.GetProperty("id").GetString()!);
            }
            var tiers = Enumerable.Range(0, visitors).Select(_ => random.Next(0, 1 << Segments)).ToArray();
            for (var from = 0; from < visitors; from += 500)
                (await admin.PostJsonAsync("/api/v1/metadata/visitor/custom/value?create=true",
                    Enumerable.Range(from, Math.Min(500, visitors - from)).Select(v => new { visitorId = $"visitor-{v}", values = new { tier = tiers[v] } }).ToArray()))
                    .EnsureSuccessStatusCode();

            var guides = new List<(string Id, int? Segment)>();
            for (var g = 0; g < Guides; g++)
            {
                int? segment = g < 40 ? g % Segments : null;
                var body = new Dictionary<string, object?>
                {
                    ["name"] = $"Guide {g}", ["priority"] = g % 7,
                    ["steps"] = new[] { new { id = $"g{g}a", domJson = GuideFixtures.Lightbox($"g{g}a") }, new { id = $"g{g}b", domJson = GuideFixtures.Lightbox($"g{g}b") } },
                };
                if (segment is { } s) body["audience"] = new { segmentId = segmentIds[s] };
                var id = (await (await admin.PostJsonAsync("/api/v1/guide", body)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
                (await admin.PostJsonAsync($"/api/v1/guide/{id}/state", new { state = "public" })).EnsureSuccessStatusCode();
                guides.Add((id, segment));
            }

            // Each visitor has seen, advanced and dismissed a few guides.
            var t = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
            var sequence = 0;
            for (var v = 0; v < visitors; v++)
            {
                var events = new List<object>();
                foreach (var (id, _) in guides.OrderBy(_ => random.Next()).Take(5))
                {
                    var step = $"g{guides.FindIndex(g => g.Id == id)}a";
                    events.Add(AgentPayloads.GuideEvent("guideSeen", $"visitor-{v}", id, step, t += 10, ++sequence, new { reason = "auto" }));
                    events.Add(AgentPayloads.GuideEvent(random.Next(2) == 0 ? "guideAdvanced" : "guideDismissed", $"visitor-{v}", id, step, t += 10, ++sequence, new { seen_reason = "auto" }));
                }
                (await agent.PostAsync($"/data/guide.gif/{apiKey}?v=bench&ct={t}", new StringContent($$"""{"events":"{{AgentPayloads.Jzb([.. events])}}"}"""))).EnsureSuccessStatusCode();
            }

            string GuideUrl(int v, int n) => $"/data/guide.json/{apiKey}?id={n}&v=bench&ct=1&jzb=" + AgentPayloads.JzbObject(new
            {
                visitorId = $"visitor-{v}", accountId = "account-1", url = "https://app.example/dashboard",
                metadata = new { visitor = new { id = $"visitor-{v}", language = "en_US" } },
            });
            var wrong = 0;
            async Task<double> AskGuidesAsync(int n)
            {
                var v = n % visitors;
                var url = GuideUrl(v, n);
                var clock = Stopwatch.StartNew();
                using var response = await agent.GetAsync(url);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = clock.Elapsed.TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(body);
                var got = json.RootElement.GetProperty("guides").EnumerateArray().Select(g => g.GetProperty("id").GetString()).ToHashSet();
                var expected = guides.Where(g => g.Segment is not { } s || (tiers[v] >= 1 << s)).Select(g => g.Id).ToHashSet();
                if (!got.SetEquals(expected)) Interlocked.Increment(ref wrong);
                return elapsed;
            }
            async Task<double> ProbeAsync(int n)
            {
                var clock = Stopwatch.StartNew();
                using var response = await agent.GetAsync($"/data/guide.gif/{apiKey}?v=bench&ct={n}&jzb={EmptyJzb}");
                await response.Content.ReadAsByteArrayAsync();
                var elapsed = clock.Elapsed.TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                return elapsed;
            }

            Console.Error.WriteLine($"Warming up, then {requests:N0} guide requests and {requests:N0} probes, one at a time...");
            for (var n = 0; n < Math.Min(requests, 500); n++)
            {
                await AskGuidesAsync(n);
                await ProbeAsync(n);
            }
            wrong = 0;
            var guideMs = new List<double>();
            var probeMs = new List<double>();
            for (var n = 0; n < requests; n++)
            {
                guideMs.Add(await AskGuidesAsync(n));
                probeMs.Add(await ProbeAsync(n));
            }
            var (guide, probe) = (Percentiles(guideMs), Percentiles(probeMs));
            var rows = new List<IReadOnlyList<string>>
            {
                Row("guide.json: 50 candidate guides, 20 segments, 10 guide events per visitor", guide, probe, $"p99 ≤ {TargetP99Ms} ms",
                    wrong == 0 && guide.P99 <= TargetP99Ms ? "PASS" : wrong > 0 ? "FAIL (answers differ)" : "FAIL"),
                Row("guide.gif probe (baseline)", probe, probe, "baseline", ""),
            };
            var table = MarkdownTable.Render(["request", "p50 ms", "p90 ms", "p99 ms", "max ms", "p50 / baseline p50", "target", "result"], rows);
            return table + $"\n{requests:N0} requests each, sequential over keep-alive, after 500 warm-ups; {visitors:N0} visitors (seed {args.Int("seed", 42)}); " +
                $"every answer's guides checked against the segments' definitions: {(wrong == 0 ? "all equal" : $"{wrong} differ")}; " +
                $"server peak RSS {server.PeakResidentBytes() / 1024.0 / 1024.0:N0} MB.\n";
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed record Spread(double P50, double P90, double P99, double Max);

    private static Spread Percentiles(List<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return new Spread(At(0.5), At(0.9), At(0.99), sorted[^1]);
    }

    private static List<string> Row(string name, Spread s, Spread baseline, string target, string result) =>
        [name, s.P50.ToString("F2"), s.P90.ToString("F2"), s.P99.ToString("F2"), s.Max.ToString("F1"), (s.P50 / baseline.P50).ToString("F2"), target, result];
}
