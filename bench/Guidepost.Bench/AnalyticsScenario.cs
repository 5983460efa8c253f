using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guidepost.Config.Entities;
using Guidepost.Core.Events;
using Guidepost.Ingestion;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Ingestion.Wire;
using Guidepost.Storage.Sqlite;
using Guidepost.Testing;
using Guidepost.Workload;
using Microsoft.Data.Sqlite;

namespace Guidepost.Bench;

/// <summary>Report questions asked of a real server process over a large store, each beside the hand-written
/// SQL for the same question on the same <c>events.db</c>, in the same run.</summary>
internal static class AnalyticsScenario
{
    internal const long Day = 86_400_000;
    internal const string TimeZone = "Asia/Kolkata";
    internal const long ZoneOffset = 19_800_000; // +05:30 all year, so the SQL can shift by a constant
    private const int ReportDays = 30;
    private const int ChunkEvents = 500_000;
    private const int BatchSize = 1_000;
    private const string MarkerFile = "analytics-bench.json";

    /// <summary>One question, asked of Guidepost over HTTP and of the store in SQL. Both get the repetition's
    /// number, never the same twice in a run, so a question can ask something new every time.</summary>
    private sealed record Question(string Name, double TargetMs, Func<Context, int, Task<Answer>> Guidepost, Func<Context, int, Answer> Sql);

    /// <summary>The questions asked, in order.</summary>
    private static readonly Question[] Questions =
    [
        new("create a feature rule + its 30-day usage by day", 2_000,
            async (c, n) => await UsageAsync(c, $"of=feature&id={await CreateFeatureAsync(c, n)}"),
            (c, n) => Sql(c, FeatureClicksSql, ("$path", $"%\"id\":\"{FeatureLeafId(n)}\"%"))),
        new("30-day page views by day", 500,
            (c, _) => UsageAsync(c, "of=pageLoads&measures=events,visitors"),
            (c, _) => Sql(c, PageViewsSql)),
        new("30-day account report (visitors, days active, minutes, page views, events per account)", 2_000,
            (c, _) => AccountListAsync(c),
            (c, _) => Sql(c, AccountReportSql)),
        new($"retention of {CohortDays} days' cohorts, {RetentionPeriods} periods of {RetentionPeriodDays} days", 3_000,
            (c, _) => RetentionAsync(c),
            (c, _) => Sql(c, RetentionSql, ("$subscription", c.SubscriptionId), ("$firstDay", c.First.DayNumber - Epoch), ("$lastDay", c.First.DayNumber - Epoch + CohortDays - 1),
                ("$periodDays", RetentionPeriodDays), ("$periods", RetentionPeriods))),
    ];

    private const int CohortDays = 14, RetentionPeriods = 6, RetentionPeriodDays = 7;

    // Local days in Asia/Kolkata: browser time + 5 h 30 min, in whole days since the epoch. A rule #fN matches
    // a click on any element of the chain with id fN; only a feature's leaf has such an id.
    private const string FeatureClicksSql = """
        SELECT (e.browser_time + 19800000) / 86400000 AS day, count(*), count(DISTINCT e.visitor_id)
        FROM events e JOIN dictionary d ON d.id = e.element_id
        WHERE e.app_id = $app AND e.type = 'click' AND e.browser_time >= $from AND e.browser_time < $to AND d.value LIKE $path
        GROUP BY day;
        """;

    private const string PageViewsSql = """
        SELECT (browser_time + 19800000) / 86400000 AS day, count(*), count(DISTINCT visitor_id)
        FROM events
        WHERE app_id = $app AND type = 'load' AND browser_time >= $from AND browser_time < $to
        GROUP BY day;
        """;

    // The same columns as the list: visitors, days active, minutes (track events excluded), page views, events.
    private const string AccountReportSql = """
        SELECT account_id, count(*), count(DISTINCT visitor_id), count(DISTINCT (browser_time + 19800000) / 86400000),
            count(DISTINCT CASE WHEN type <> 'track' THEN visitor_id || ' ' || (browser_time / 60000) END), sum(type = 'load')
        FROM events
        WHERE app_id = $app AND browser_time >= $from AND browser_time < $to AND account_id IS NOT NULL
        GROUP BY account_id;
        """;

    // Each identified visitor's active local days over all history (an anonymous visitor's under the visitor it
    // became), from the hourly activity: quarters 0-1 of a UTC hour fall on one local day and 2-3 on the next at
    // 18:30 UTC. A visitor's cohort is their first day; period p holds the days p·7 to p·7 + 6 after it.
    private const string RetentionSql = """
        WITH hours AS MATERIALIZED (
            SELECT coalesce(l.visitor_id, a.visitor_id) AS visitor, a.hour,
                a.load_q0 + a.load_q1 + a.click_q0 + a.click_q1 + a.track_q0 + a.track_q1 + a.other_q0 + a.other_q1 AS early,
                a.load_q2 + a.load_q3 + a.click_q2 + a.click_q3 + a.track_q2 + a.track_q3 + a.other_q2 + a.other_q3 AS late
            FROM activity a LEFT JOIN identity_links l ON l.subscription_id = $subscription AND l.anonymous_id = a.visitor_id
            WHERE a.app_id = $app),
        days AS MATERIALIZED (
            SELECT visitor, (hour * 3600000 + 19800000) / 86400000 AS day FROM hours WHERE early > 0
            UNION SELECT visitor, (hour * 3600000 + 1800000 + 19800000) / 86400000 FROM hours WHERE late > 0),
        firsts AS (SELECT visitor, min(day) AS first FROM days WHERE substr(visitor, 1, 9) <> '_PENDO_T_' GROUP BY visitor)
        SELECT date(f.first * 86400, 'unixepoch') || ' p' || ((d.day - f.first) / $periodDays), count(DISTINCT f.visitor), 0
        FROM firsts f JOIN days d ON d.visitor = f.visitor
        WHERE f.first BETWEEN $firstDay AND $lastDay AND (d.day - f.first) / $periodDays < $periods
        GROUP BY 1;
        """;

    /// <summary>Repetition n asks about feature f0, f3, f6, ...: the generator gives every third feature's
    /// leaf an id, and low numbers are the most clicked.</summary>
    private static string FeatureLeafId(int n) => $"f{3 * n}";

    public static Task<string> RunAsync(BenchArgs args) => RunOnStoreAsync(args, "analytics", MeasureAsync);

    /// <summary>Builds (or reuses, with <c>--data</c>) the generated store and measures on it; a store of its
    /// own is deleted afterwards.</summary>
    internal static async Task<string> RunOnStoreAsync(BenchArgs args, string scenario, Func<string, Built, int, Task<string>> measure)
    {
        var events = args.Int("events", 10_000_000);
        var repeat = args.Int("repeat", 5);
        var seed = args.Int("seed", 42);
        var kept = args.Text("data");
        var data = kept is null ? Directory.CreateTempSubdirectory($"guidepost-bench-{scenario}-").FullName : Path.GetFullPath(kept);
        try
        {
            var built = await BuildAsync(data, events, seed);
            return await measure(data, built, repeat);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (kept is null) Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>What a data folder holds, written beside it so a later run with the same arguments reuses it
    /// (the aggregations scenario builds and reuses the same store).</summary>
    internal sealed record Built(int Events, int Seed, Bootstrap Bootstrap, long SubscriptionId, long ApplicationId, long Stored, double Seconds);

    internal static async Task<Built> BuildAsync(string data, int events, int seed)
    {
        var marker = Path.Combine(data, MarkerFile);
        if (File.Exists(marker) && File.Exists(Path.Combine(data, "events.db"))
            && JsonSerializer.Deserialize<Built>(await File.ReadAllTextAsync(marker)) is { } existing && existing.Events == events && existing.Seed == seed)
        {
            Console.Error.WriteLine($"Reusing the store in {data} ({existing.Stored:N0} events, built in {existing.Seconds:F0} s).");
            // A store built by an older build may need schema migrations, which take long on 10M events:
            // done here rather than in the server's start-up, which the benchmark times out.
            var migrating = Stopwatch.StartNew();
            await using (var store = new SqliteEventStore(Path.Combine(data, "events.db")))
                await store.InitializeAsync(CancellationToken.None);
            Console.Error.WriteLine($"Store schema current after {migrating.Elapsed.TotalSeconds:F0} s.");
            return existing;
        }
        if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
            throw new InvalidOperationException($"{data} is not empty and holds no store built with --events {events} --seed {seed}; name a new or empty folder.");
        Directory.CreateDirectory(data);

        var clock = Stopwatch.StartNew();
        var bootstrap = Bootstrap.NewRandom();
        DefaultApplication target;
        // The server bootstraps the subscription and application the events are written for, then stops.
        await using (var server = await ServerProcess.StartAsync(data, bootstrap.Settings))
        {
            using var admin = KeyClient(server, bootstrap);
            target = await DefaultApplications.FindAsync(admin);
            using var zone = await admin.PatchAsJsonAsync($"/api/admin/subscriptions/{target.SubscriptionId}", new { timeZone = TimeZone });
            await zone.ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        var generator = new WorkloadGenerator(new WorkloadOptions
        {
            Seed = seed, TargetEvents = events, Days = 60, Visitors = Math.Max(100, events / 200), Accounts = 10_000, Features = 2_000, Pages = 500,
        });
        var reader = new AgentPayloadReader(new IngestionOptions());
        var ingestion = new IngestionTarget(new Application { Id = target.ApplicationId, SubscriptionId = target.SubscriptionId, Name = "bench", ApiKey = bootstrap.ApiKey });
        // Each delivery decoded as the server decodes a request, then through the ingestion steps (identity links, agent metadata).
        (IngestBatch Batch, int Distinct) Decode(Workload.Workload chunk) => (IngestionPipeline.Process(
            [.. chunk.Deliveries.Where(d => !d.IsDuplicate).SelectMany(d => reader.Read(Jzb.Decode(d.Jzb, 1 << 20, 1 << 24),
                new RequestContext(target.SubscriptionId, target.ApplicationId, d.SentAt, "127.0.0.1", null, null, null)))],
            ingestion).Batch, chunk.Truth.Events.Count);

        Console.Error.WriteLine($"Generating and inserting about {events:N0} events (seed {seed}) into {data}...");
        long stored = 0, distinct = 0;
        await using (var store = new SqliteEventStore(Path.Combine(data, "events.db"), synchronousFull: false))
        {
            await store.InitializeAsync(CancellationToken.None);
            using var chunks = generator.GenerateInChunks(ChunkEvents).Select(Decode).GetEnumerator();
            // The next chunk is generated and decoded on the other core while this one is inserted.
            var next = Task.Run(chunks.MoveNext);
            while (await next)
            {
                var (batch, generated) = chunks.Current;
                next = Task.Run(chunks.MoveNext);
                foreach (var rows in batch.Events.Chunk(BatchSize)) stored += (await store.AppendAsync(IngestBatch.Of(rows), CancellationToken.None)).Stored;
                await store.AppendAsync(new IngestBatch([], batch.Metadata, batch.Links), CancellationToken.None);
                distinct += generated;
                Console.Error.WriteLine($"  {stored:N0} events stored after {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
        if (stored != distinct) throw new InvalidOperationException($"The store took {stored:N0} events; the generator made {distinct:N0} distinct ones.");

        var built = new Built(events, seed, bootstrap, target.SubscriptionId, target.ApplicationId, stored, clock.Elapsed.TotalSeconds);
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(built));
        Console.Error.WriteLine($"Built the store in {built.Seconds:F0} s.");
        return built;
    }

    /// <summary>What every question needs: the running server, the same store opened read-only, and the 30
    /// local days ending at the last day with data.</summary>
    private sealed record Context(HttpClient Http, SqliteConnection Store, long SubscriptionId, long ApplicationId, DateOnly First, DateOnly Last, string RunId);

    private static async Task<string> MeasureAsync(string data, Built built, int repeat)
    {
        await using var server = await ServerProcess.StartAsync(data, built.Bootstrap.Settings);
        using var http = KeyClient(server, built.Bootstrap);
        // WAL lets this connection read while the server runs.
        await using var store = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "events.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
        await store.OpenAsync();
        await using var latest = store.CreateCommand();
        latest.CommandText = "SELECT max(browser_time) FROM events WHERE app_id = $app;";
        latest.Parameters.AddWithValue("$app", built.ApplicationId);
        var last = DateOnly.FromDayNumber(Epoch + (int)(((long)(await latest.ExecuteScalarAsync())! + ZoneOffset) / Day));
        var context = new Context(http, store, built.SubscriptionId, built.ApplicationId, last.AddDays(1 - ReportDays), last, Guid.NewGuid().ToString("N")[..8]);

        var rows = new List<IReadOnlyList<string>>();
        var notes = new List<string>();
        foreach (var question in Questions)
        {
            Console.Error.WriteLine($"Asking '{question.Name}' {repeat} times...");
            // Warm-ups, each with a number no measured repetition uses, for at least 2 s: the server's code reaches its
            // optimised tier only after the JIT's tier-up delay.
            var warming = Stopwatch.StartNew();
            var warmUps = 0;
            do await question.Guidepost(context, repeat + warmUps++);
            while (warming.Elapsed < TimeSpan.FromSeconds(2));
            question.Sql(context, repeat);
            var guidepostMs = new List<double>();
            var sqlMs = new List<double>();
            var disagreements = new List<string>();
            long totalEvents = 0, guidepostVisitors = 0, sqlVisitors = 0, rowsPerAnswer = 0;
            for (var n = 0; n < repeat; n++)
            {
                var clock = Stopwatch.StartNew();
                var guidepost = await question.Guidepost(context, n);
                guidepostMs.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                var sql = question.Sql(context, n);
                sqlMs.Add(clock.Elapsed.TotalMilliseconds);

                foreach (var key in guidepost.Keys.Union(sql.Keys).Order(StringComparer.Ordinal))
                    if (guidepost.GetValueOrDefault(key).Events != sql.GetValueOrDefault(key).Events)
                        disagreements.Add($"repetition {n}, {key}: Guidepost {guidepost.GetValueOrDefault(key).Events:N0} events, SQL {sql.GetValueOrDefault(key).Events:N0}");
                totalEvents += sql.Values.Sum(d => d.Events);
                rowsPerAnswer = sql.Count;
                guidepostVisitors += guidepost.Values.Sum(d => d.Visitors);
                sqlVisitors += sql.Values.Sum(d => d.Visitors);
            }
            var (gpMedian, sqlMedian) = (Median(guidepostMs), Median(sqlMs));
            rows.Add([question.Name, gpMedian.ToString("N0"), guidepostMs.Max().ToString("N0"), sqlMedian.ToString("N0"), sqlMs.Max().ToString("N0"),
                (gpMedian / sqlMedian).ToString("F2"), $"≤ {question.TargetMs:N0}", gpMedian <= question.TargetMs ? "PASS" : "FAIL"]);
            var agreement = disagreements.Count == 0
                ? $"answers agree: every row's event count (per day, or per account) is equal in all {repeat} repetitions ({totalEvents:N0} events in all, {rowsPerAnswer:N0} rows per answer)"
                : $"answers DISAGREE on {disagreements.Count} rows, e.g. {string.Join("; ", disagreements.Take(3))}";
            notes.Add($"{question.Name}: {agreement}; Guidepost {Join(guidepostMs)} ms and SQL {Join(sqlMs)} ms by repetition; " +
                $"visitors summed over rows: Guidepost {guidepostVisitors:N0}, SQL {sqlVisitors:N0} (Guidepost counts an anonymous visitor who identified as the identified one).");
        }

        var table = MarkdownTable.Render(
            ["question", "Guidepost (HTTP) median ms", "Guidepost max ms", "hand-written SQL median ms", "SQL max ms", "Guidepost / SQL", "target ms", "result"], rows);
        return table + $"\n{built.Stored:N0} events (seed {built.Seed}); questions in {TimeZone}, " +
            $"{context.First:yyyy-MM-dd} to {context.Last:yyyy-MM-dd}; store built in {built.Seconds:F0} s; medians of {repeat} runs after warm-ups of at least 2 s; " +
            $"server peak RSS {server.PeakResidentBytes() / 1024.0 / 1024.0:N0} MB.\n" + string.Join("\n", notes) + "\n";
    }

    /// <summary>Events and visitors per row of an answer: per local day (yyyy-MM-dd), or per account.</summary>
    private sealed class Answer() : SortedDictionary<string, (long Events, long Visitors)>(StringComparer.Ordinal);

    internal static readonly int Epoch = new DateOnly(1970, 1, 1).DayNumber;

    private static async Task<string> CreateFeatureAsync(Context c, int n)
    {
        using var response = await c.Http.PostAsJsonAsync("/api/v1/feature", new { name = $"bench feature {c.RunId} {n}", elementPathRules = new[] { $"#{FeatureLeafId(n)}" } });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    private static async Task<Answer> UsageAsync(Context c, string query)
    {
        using var response = await c.Http.GetAsync($"/api/analytics/usage?{query}&from={c.First:yyyy-MM-dd}&to={c.Last:yyyy-MM-dd}");
        var daily = new Answer();
        foreach (var row in (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("rows").EnumerateArray())
            if (row.GetProperty("numEvents").GetInt64() > 0)
                daily[row.GetProperty("period").GetString()!] = (row.GetProperty("numEvents").GetInt64(), row.GetProperty("numVisitors").GetInt64());
        return daily;
    }

    private static async Task<Answer> AccountListAsync(Context c)
    {
        using var response = await c.Http.PostAsJsonAsync("/api/analytics/lists", new
        {
            level = "account", from = $"{c.First:yyyy-MM-dd}", to = $"{c.Last:yyyy-MM-dd}",
            columns = new[] { "numVisitors", "daysActive", "numMinutes", "pageViews", "numEvents" }, sort = "-numEvents", limit = 100_000,
        });
        var accounts = new Answer();
        foreach (var row in (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("rows").EnumerateArray())
            accounts[row.GetProperty("id").GetString()!] = (row.GetProperty("numEvents").GetInt64(), row.GetProperty("numVisitors").GetInt64());
        return accounts;
    }

    /// <summary>Visitors retained per cohort day and period ("2026-08-22 p3"), as events.</summary>
    private static async Task<Answer> RetentionAsync(Context c)
    {
        using var response = await c.Http.GetAsync(
            $"/api/analytics/retention?from={c.First:yyyy-MM-dd}&to={c.First.AddDays(CohortDays - 1):yyyy-MM-dd}&period={RetentionPeriodDays}&periods={RetentionPeriods}");
        var retained = new Answer();
        foreach (var cohort in (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("cohorts").EnumerateArray())
            foreach (var (count, period) in cohort.GetProperty("retained").EnumerateArray().Select((r, p) => (r.GetInt64(), p)))
                if (count > 0) retained[$"{cohort.GetProperty("cohort").GetString()} p{period}"] = (count, 0);
        return retained;
    }

    private static Answer Sql(Context c, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = c.Store.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$app", c.ApplicationId);
        command.Parameters.AddWithValue("$from", (c.First.DayNumber - Epoch) * Day - ZoneOffset);
        command.Parameters.AddWithValue("$to", (c.Last.DayNumber - Epoch + 1) * Day - ZoneOffset);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var answer = new Answer();
        while (reader.Read())
            answer[reader.GetFieldType(0) == typeof(string) ? reader.GetString(0) : $"{DateOnly.FromDayNumber(Epoch + (int)reader.GetInt64(0)):yyyy-MM-dd}"] =
                (reader.GetInt64(1), reader.GetInt64(2));
        return answer;
    }

    internal static HttpClient KeyClient(ServerProcess server, Bootstrap bootstrap)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Add(GuidepostApp.IntegrationKeyHeader, bootstrap.IntegrationKey);
        return client;
    }

    internal static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal static string Join(List<double> milliseconds) => string.Join(" / ", milliseconds.Select(ms => ms.ToString(ms < 10 ? "N1" : "N0")));
}
