using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guidepost.Testing;
using Microsoft.Data.Sqlite;
using static Guidepost.Bench.AnalyticsScenario;

namespace Guidepost.Bench;

/// <summary>A standard set of Aggregations API queries (<c>POST /api/v1/aggregation</c>) asked of a real server
/// process over the analytics scenario's store, each beside hand-written SQL for the same answer on the same
/// <c>events.db</c> in the same run, the two answers compared row by row every repetition.</summary>
/// <remarks>The SQL reads the tables a person would pick for each question (<c>rollups</c> for one page or
/// feature, <c>activity</c> for whole-application or per-visitor counts, <c>entities</c>, <c>metadata</c> and <c>visitor_accounts</c>
/// for visitors, <c>events</c> for raw events), so a pushdown query's ratio is the engine's overhead over
/// the store, not a comparison with a raw-event scan.</remarks>
internal static class AggregationsScenario
{
    private const long Hour = 3_600_000;
    private const long Quarter = 900_000;
    private const double Target = 1.5;
    // Warm-up runs until both counts are reached: a query of a few milliseconds repeated three times is over before
    // the JIT's tier-up delay (100 ms, restarted by any new method) ends, and would time the server's first-tier code.
    private const int MinWarmUps = 3;
    private static readonly TimeSpan MinWarmUpTime = TimeSpan.FromSeconds(2);
    private const string PageUrl = "https://app.example.com/dashboard/0"; // the generator's most visited page
    private const string PageRule = "//*/dashboard/0";
    private const string FeatureLeaf = "f0"; // the most clicked feature; only a feature's leaf has such an id

    /// <summary>One query: the pipeline sent to Guidepost, how a result row reads, and the SQL giving the same
    /// rows. <paramref name="Ordered"/> answers are compared in order; others as sorted sets of rows.</summary>
    private sealed record Query(
        string Name, bool Pushdown, bool Ordered, Func<Context, object[]> Pipeline, Func<JsonElement, string> Row, Func<Context, List<string>> Sql);

    /// <summary>What every query needs: the server, the store opened read-only, the ids set up for the run,
    /// and the 30 local days ending at the last day with data.</summary>
    private sealed record Context(
        HttpClient Http, SqliteConnection Store, long SubscriptionId, long ApplicationId, DateOnly First, DateOnly Last,
        string PageId, string FeatureId, string BusyVisitor, string MiddleVisitor);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Query[] Queries =
    [
        new("1. 30-day page views by day, one page", true, false,
            c => [Source(new { pageEvents = new { pageId = c.PageId } }, c.First, 30), Group(["day"], ("total", "sum", "numEvents"))],
            r => Fields(r, "day", "total"),
            c => Rows(c, TagByDaySql("r.kind = 1 AND r.url_id", PageUrlsSql), c.First, c.Last, ("$url", PageUrl))),
        new("2. 30-day daily active visitors", true, false,
            c => [Source(new { events = (object?)null }, c.First, 30), Group(["day"], ("visitors", "count", "visitorId"))],
            r => Fields(r, "day", "visitors"),
            c => Rows(c, ActiveVisitorsSql, c.First, c.Last)),
        new("3. top 10 visitors by events, 7 days", true, true,
            c => [Source(new { events = (object?)null }, c.Last.AddDays(-6), 7), Group(["visitorId"], ("total", "sum", "numEvents")),
                new { sort = new[] { "-total", "visitorId" } }, new { limit = 10 }],
            r => Fields(r, "visitorId", "total"),
            c => Rows(c, TopVisitorsSql, c.Last.AddDays(-6), c.Last)),
        new("4. one visitor's 30 days by day", true, false,
            c => [Source(new { events = (object?)null }, c.First, 30), new { filter = $"visitorId == \"{c.BusyVisitor}\"" }, Group(["day"], ("total", "sum", "numEvents"))],
            r => Fields(r, "day", "total"),
            c => Rows(c, VisitorByDaySql, c.First, c.Last, ("$visitor", c.BusyVisitor))),
        new("5. 30-day feature clicks by day, one feature", true, false,
            c => [Source(new { featureEvents = new { featureId = c.FeatureId } }, c.First, 30), Group(["day"], ("total", "sum", "numEvents"))],
            r => Fields(r, "day", "total"),
            c => Rows(c, TagByDaySql("r.kind = 2 AND r.signature_id", FeaturePathsSql), c.First, c.Last, ("$path", $"%\"id\":\"{FeatureLeaf}\"%"))),
        new("6. visitors page of 1,000 after an id (tap-pendo)", true, true,
            c => [new { source = new { visitors = (object?)null } }, new { sort = new[] { "visitorId" } }, new { filter = $"visitorId > \"{c.MiddleVisitor}\"" }, new { limit = 1000 }],
            VisitorRow,
            VisitorPageSql),
        new("7. singleEvents, 1 day, count (no pushdown)", false, true,
            c => [Source(new { singleEvents = (object?)null }, c.Last, 1), new { count = (object?)null }],
            r => Fields(r, "count"),
            c => Rows(c, "SELECT count(*) FROM events WHERE app_id = $app AND browser_time >= $from AND browser_time < $to;", c.Last, c.Last)),
    ];

    // Local days in Asia/Kolkata (+05:30, no daylight saving): a quarter hour starting at t belongs to day
    // (t + 19,800,000) / 86,400,000, so quarters 0-1 of a UTC hour fall on one local day and 2-3 on the
    // next at 18:30 UTC. Rows give each day's start in epoch ms, as the engine's `day` field does.
    private const string Days = """
        days AS (SELECT (hour * 3600000 + 19800000) / 86400000 AS day, early AS n FROM hours
            UNION ALL SELECT (hour * 3600000 + 1800000 + 19800000) / 86400000, late FROM hours)
        """;

    private const string DayRows = "SELECT day * 86400000 - 19800000, sum(n) FROM days WHERE day BETWEEN $firstDay AND $lastDay GROUP BY day HAVING sum(n) > 0;";

    // A page's loads or a feature's clicks: one kind of rollups in the hours, on the URLs or element paths
    // that match the rule (found the way a person would, by the dictionary's text).
    private static string TagByDaySql(string column, string ids) => $"""
        WITH hours AS MATERIALIZED (
            SELECT r.hour, sum(r.events_q0 + r.events_q1) AS early, sum(r.events_q2 + r.events_q3) AS late
            FROM rollups r
            WHERE r.app_id = $app AND r.hour >= $fromHour AND r.hour < $toHour AND {column} IN ({ids})
            GROUP BY r.hour),
        {Days}
        {DayRows}
        """;

    // The rule //*/dashboard/0 ignores the query string, fragment and a trailing slash.
    private const string PageUrlsSql = """
        SELECT s.id FROM signatures s JOIN dictionary d ON d.id = s.value_id
        WHERE s.app_id = $app AND s.kind = 1 AND (d.value IN ($url, $url || '/') OR d.value GLOB $url || '[?#]*' OR d.value GLOB $url || '/[?#]*')
        """;

    private const string FeaturePathsSql = """
        SELECT s.id FROM signatures s JOIN dictionary d ON d.id = s.value_id WHERE s.app_id = $app AND s.kind = 2 AND d.value LIKE $path
        """;

    private static string Events(int q) => $"a.load_q{q} + a.click_q{q} + a.track_q{q} + a.other_q{q}";

    // An anonymous visitor who identified counts as the identified visitor, as in every Guidepost report.
    private static string ActiveVisitorsSql => $"""
        WITH visits AS MATERIALIZED (
            SELECT a.hour, coalesce(l.visitor_id, a.visitor_id) AS visitor, {Events(0)} + {Events(1)} AS early, {Events(2)} + {Events(3)} AS late
            FROM activity a LEFT JOIN identity_links l ON l.subscription_id = $subscription AND l.anonymous_id = a.visitor_id
            WHERE a.app_id = $app AND a.hour >= $fromHour AND a.hour < $toHour),
        days AS (SELECT (hour * 3600000 + 19800000) / 86400000 AS day, visitor FROM visits WHERE early > 0
            UNION ALL SELECT (hour * 3600000 + 1800000 + 19800000) / 86400000, visitor FROM visits WHERE late > 0)
        SELECT day * 86400000 - 19800000, count(DISTINCT visitor) FROM days WHERE day BETWEEN $firstDay AND $lastDay GROUP BY day;
        """;

    private static string InRange(int q) => $"CASE WHEN 4 * a.hour + {q} >= $fromQuarter AND 4 * a.hour + {q} < $toQuarter THEN {Events(q)} ELSE 0 END";

    private static string TopVisitorsSql => $"""
        SELECT coalesce(l.visitor_id, a.visitor_id) AS visitor, sum({InRange(0)} + {InRange(1)} + {InRange(2)} + {InRange(3)}) AS total
        FROM activity a LEFT JOIN identity_links l ON l.subscription_id = $subscription AND l.anonymous_id = a.visitor_id
        WHERE a.app_id = $app AND a.hour >= $fromHour AND a.hour < $toHour
        GROUP BY visitor HAVING total > 0 ORDER BY total DESC, visitor LIMIT 10;
        """;

    private static string VisitorByDaySql => $"""
        WITH hours AS MATERIALIZED (
            SELECT a.hour, sum({Events(0)} + {Events(1)}) AS early, sum({Events(2)} + {Events(3)}) AS late
            FROM activity a INDEXED BY activity_by_visitor -- SQLite's plan without statistics scans every visitor's hours
            WHERE a.app_id = $app AND a.hour >= $fromHour AND a.hour < $toHour
              AND a.visitor_id IN (SELECT $visitor UNION ALL SELECT anonymous_id FROM identity_links WHERE subscription_id = $subscription AND visitor_id = $visitor)
            GROUP BY a.hour),
        {Days}
        {DayRows}
        """;

    public static Task<string> RunAsync(BenchArgs args) => RunOnStoreAsync(args, "aggregations", MeasureAsync);

    private static async Task<string> MeasureAsync(string data, Built built, int repeat)
    {
        await using var server = await ServerProcess.StartAsync(data, built.Bootstrap.Settings);
        using var http = KeyClient(server, built.Bootstrap);
        http.Timeout = TimeSpan.FromMinutes(10);
        // WAL lets this connection read while the server runs.
        await using var store = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "events.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
        await store.OpenAsync();
        var context = await SetUpAsync(http, store, built);

        var rows = new List<IReadOnlyList<string>>();
        var notes = new List<string>();
        foreach (var query in Queries)
        {
            Console.Error.WriteLine($"Asking '{query.Name}' {repeat} times...");
            var body = new { response = new { mimeType = "application/json" }, request = new { name = "bench", requestId = "bench", pipeline = query.Pipeline(context) } };
            var guidepostMs = new List<double>();
            var sqlMs = new List<double>();
            var disagreements = new List<string>();
            string? error = null;
            var answerRows = 0;
            var warmUps = 0;
            var warming = Stopwatch.StartNew();
            // Warm-up runs (their answers are checked too) until the server's code reaches its optimised tier, then the measured ones.
            while (guidepostMs.Count < repeat)
            {
                var warmUp = warmUps < MinWarmUps || warming.Elapsed < MinWarmUpTime;
                if (warmUp) warmUps++;
                var run = warmUp ? $"warm-up {warmUps}" : $"repetition {guidepostMs.Count + 1}";
                var clock = Stopwatch.StartNew();
                List<string> guidepost;
                try
                {
                    var answer = await AskAsync(http, body);
                    clock.Stop();
                    guidepost = Results(answer, query.Row);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.Message;
                    guidepost = [];
                }
                var guidepostElapsed = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                var sql = query.Sql(context);
                var sqlElapsed = clock.Elapsed.TotalMilliseconds;
                if (!warmUp)
                {
                    guidepostMs.Add(guidepostElapsed);
                    sqlMs.Add(sqlElapsed);
                }
                answerRows = sql.Count;
                if (error is null) disagreements.AddRange(Compare(query.Ordered, guidepost, sql).Select(d => $"{run}: {d}"));
                if (error is not null) break;
            }

            var request = JsonSerializer.Serialize(body, Readable);
            if (error is not null)
            {
                rows.Add([query.Name, "error", "", "", "", "", query.Pushdown ? $"≤ {Target}× SQL" : "reference", "FAIL"]);
                notes.Add($"- {query.Name}: **Guidepost FAILED**: {error}\n  request: `{request}`");
                continue;
            }
            var (gpMedian, sqlMedian) = (Median(guidepostMs), Median(sqlMs));
            var ratio = gpMedian / sqlMedian;
            var agree = disagreements.Count == 0;
            var pass = agree && (!query.Pushdown || ratio <= Target);
            rows.Add([query.Name, gpMedian.ToString("N1"), guidepostMs.Max().ToString("N1"), sqlMedian.ToString("N1"), sqlMs.Max().ToString("N1"),
                ratio.ToString("F2"), query.Pushdown ? $"≤ {Target}× SQL" : "reference", pass ? "PASS" : agree ? "FAIL" : "FAIL (answers differ)"]);
            notes.Add($"- {query.Name}: " + (agree
                ? $"answers agree row by row in all {repeat + warmUps} runs ({answerRows:N0} rows)"
                : $"**ANSWERS DISAGREE** on {disagreements.Count} rows, e.g. {string.Join("; ", disagreements.Take(3))}") +
                $"; Guidepost {Join(guidepostMs)} ms, SQL {Join(sqlMs)} ms by repetition.\n  request: `{request}`");
        }

        var table = MarkdownTable.Render(
            ["query", "Guidepost (HTTP) median ms", "Guidepost max ms", "hand-written SQL median ms", "SQL max ms", "Guidepost / SQL", "target", "result"], rows);
        return table + $"\n{built.Stored:N0} events (seed {built.Seed}); days in {AnalyticsScenario.TimeZone}: 30 days {context.First:yyyy-MM-dd} to {context.Last:yyyy-MM-dd}, " +
            $"7 days from {context.Last.AddDays(-6):yyyy-MM-dd}, 1 day {context.Last:yyyy-MM-dd}; page {PageRule} ({context.PageId}), feature #{FeatureLeaf} ({context.FeatureId}), " +
            $"visitor {context.BusyVisitor}, page after {context.MiddleVisitor}; medians of {repeat} runs after at least {MinWarmUps} warm-ups and {MinWarmUpTime.TotalSeconds:N0} s of them; " +
            $"server peak RSS {server.PeakResidentBytes() / 1024.0 / 1024.0:N0} MB.\n" + string.Join("\n", notes) + "\n";
    }

    /// <summary>The page and feature the queries read (created once, found by name in later runs), the busiest
    /// visitor of the 30 days and the visitor id halfway through the list.</summary>
    private static async Task<Context> SetUpAsync(HttpClient http, SqliteConnection store, Built built)
    {
        var lastMs = (long)(await ScalarAsync(store, "SELECT max(browser_time) FROM events WHERE app_id = $app;", ("$app", built.ApplicationId)))!;
        var last = DateOnly.FromDayNumber(Epoch + (int)((lastMs + ZoneOffset) / Day));
        var first = last.AddDays(-29);
        var pageId = await FindOrCreateAsync(http, "page", $"aggregations bench page {PageRule}", new { rules = new[] { PageRule } });
        var featureId = await FindOrCreateAsync(http, "feature", $"aggregations bench feature #{FeatureLeaf}", new { elementPathRules = new[] { $"#{FeatureLeaf}" } });
        var busy = (string)(await ScalarAsync(store, $"""
            SELECT coalesce(l.visitor_id, a.visitor_id) AS visitor FROM activity a
            LEFT JOIN identity_links l ON l.subscription_id = $subscription AND l.anonymous_id = a.visitor_id
            WHERE a.app_id = $app AND a.hour >= $fromHour AND a.hour < $toHour
            GROUP BY visitor ORDER BY sum({Events(0)} + {Events(1)} + {Events(2)} + {Events(3)}) DESC, visitor LIMIT 1;
            """, ("$subscription", built.SubscriptionId), ("$app", built.ApplicationId),
            ("$fromHour", Start(first) / Hour), ("$toHour", Start(last.AddDays(1)) / Hour)))!;
        var middle = (string)(await ScalarAsync(store, """
            SELECT entity_id FROM entities WHERE subscription_id = $subscription AND kind = 0 ORDER BY entity_id
            LIMIT 1 OFFSET (SELECT count(*) / 2 FROM entities WHERE subscription_id = $subscription AND kind = 0);
            """, ("$subscription", built.SubscriptionId)))!;
        return new Context(http, store, built.SubscriptionId, built.ApplicationId, first, last, pageId, featureId, busy, middle);
    }

    private static async Task<string> FindOrCreateAsync(HttpClient http, string kind, string name, object rules)
    {
        using var list = await http.GetAsync($"/api/v1/{kind}");
        foreach (var tag in (await list.ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray())
            if (tag.GetProperty("name").GetString() == name) return tag.GetProperty("id").GetString()!;
        var body = JsonSerializer.SerializeToNode(rules)!.AsObject();
        body["name"] = name;
        using var created = await http.PostAsJsonAsync($"/api/v1/{kind}", body);
        return (await created.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>A grouped event source over <paramref name="days"/> local days from <paramref name="first"/>.</summary>
    private static object Source(object source, DateOnly first, int days)
    {
        var stage = JsonSerializer.SerializeToNode(source)!.AsObject();
        stage["timeSeries"] = JsonSerializer.SerializeToNode(new { period = "dayRange", first = $"date({first.Year}, {first.Month}, {first.Day})", count = days });
        return new { source = stage };
    }

    private static object Group(string[] keys, (string Name, string Aggregator, string Field) field) =>
        new { group = new { group = keys, fields = new Dictionary<string, object> { [field.Name] = new Dictionary<string, string> { [field.Aggregator] = field.Field } } } };

    /// <summary>The whole answer as text: Guidepost's time ends when the last byte arrives, and reading the
    /// rows out of the JSON is the client's work, not timed (the SQL's rows come out of its reader, timed).</summary>
    private static async Task<string> AskAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/aggregation", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {text}");
        return text;
    }

    private static List<string> Results(string answer, Func<JsonElement, string> read)
    {
        using var json = JsonDocument.Parse(answer);
        return [.. json.RootElement.GetProperty("results").EnumerateArray().Select(read)];
    }

    private static IEnumerable<string> Compare(bool ordered, List<string> guidepost, List<string> sql)
    {
        if (!ordered)
        {
            guidepost = [.. guidepost.Order(StringComparer.Ordinal)];
            sql = [.. sql.Order(StringComparer.Ordinal)];
        }
        if (guidepost.Count != sql.Count) yield return $"Guidepost {guidepost.Count:N0} rows, SQL {sql.Count:N0}";
        for (var i = 0; i < Math.Min(guidepost.Count, sql.Count); i++)
            if (guidepost[i] != sql[i]) yield return $"row {i}: Guidepost [{guidepost[i]}], SQL [{sql[i]}]";
    }

    // Rows read both ways as the same text: fields in order, numbers as integers where whole.
    private static string Fields(JsonElement row, params string[] names) =>
        string.Join(" | ", names.Select(n => row.TryGetProperty(n, out var v) ? Text(v) : "(missing)"));

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Number(value.GetDouble()),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string VisitorRow(JsonElement row)
    {
        var metadata = row.GetProperty("metadata");
        var auto = metadata.GetProperty("auto");
        var stored = metadata.EnumerateObject().Where(g => g.Name != "auto")
            .SelectMany(g => g.Value.EnumerateObject().Select(f => $"{g.Name}.{f.Name}={JsonNode.Parse(f.Value.GetRawText())?.ToJsonString() ?? "null"}"));
        var accounts = auto.TryGetProperty("accountids", out var ids) ? string.Join(",", ids.EnumerateArray().Select(a => a.GetString())) : "";
        return $"{row.GetProperty("visitorId").GetString()} | {Text(auto.GetProperty("firstvisit"))} | {Text(auto.GetProperty("lastvisit"))} | {accounts} | " +
            string.Join("; ", stored.Order(StringComparer.Ordinal));
    }

    private static List<string> VisitorPageSql(Context c)
    {
        using var command = c.Store.CreateCommand();
        command.CommandText = """
            WITH page AS (
                SELECT entity_id, first_seen, last_seen FROM entities
                WHERE subscription_id = $subscription AND kind = 0 AND entity_id > $after ORDER BY entity_id LIMIT 1000)
            SELECT p.entity_id, p.first_seen, p.last_seen,
                (SELECT group_concat(account_id, ',') FROM (SELECT account_id FROM visitor_accounts a
                    WHERE a.subscription_id = $subscription AND a.visitor_id = p.entity_id ORDER BY account_id)),
                m.grp, m.field, m.value
            FROM page p LEFT JOIN metadata m ON m.subscription_id = $subscription AND m.kind = 0 AND m.entity_id = p.entity_id
            ORDER BY p.entity_id;
            """;
        command.Parameters.AddWithValue("$subscription", c.SubscriptionId);
        command.Parameters.AddWithValue("$after", c.MiddleVisitor);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        string? id = null;
        var head = "";
        var fields = new List<string>();
        void Flush()
        {
            if (id is not null) rows.Add(head + string.Join("; ", fields.Order(StringComparer.Ordinal)));
            fields.Clear();
        }
        while (reader.Read())
        {
            if (reader.GetString(0) != id)
            {
                Flush();
                id = reader.GetString(0);
                head = $"{id} | {reader.GetInt64(1)} | {reader.GetInt64(2)} | {(reader.IsDBNull(3) ? "" : reader.GetString(3))} | ";
            }
            if (!reader.IsDBNull(4)) fields.Add($"{reader.GetString(4)}.{reader.GetString(5)}={JsonNode.Parse(reader.GetString(6))?.ToJsonString() ?? "null"}");
        }
        Flush();
        return rows;
    }

    private static long Start(DateOnly day) => (day.DayNumber - Epoch) * Day - ZoneOffset;

    /// <summary>Runs SQL over the local days <paramref name="first"/> to <paramref name="last"/>, given as
    /// instants, UTC hours (rounded out), quarter hours and day numbers; each row as text.</summary>
    private static List<string> Rows(Context c, string sql, DateOnly first, DateOnly last, params (string Name, object Value)[] parameters)
    {
        using var command = c.Store.CreateCommand();
        command.CommandText = sql;
        var (from, to) = (Start(first), Start(last.AddDays(1)));
        command.Parameters.AddWithValue("$subscription", c.SubscriptionId);
        command.Parameters.AddWithValue("$app", c.ApplicationId);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$fromHour", from / Hour);
        command.Parameters.AddWithValue("$toHour", (to + Hour - 1) / Hour);
        command.Parameters.AddWithValue("$fromQuarter", from / Quarter);
        command.Parameters.AddWithValue("$toQuarter", to / Quarter);
        command.Parameters.AddWithValue("$firstDay", first.DayNumber - Epoch);
        command.Parameters.AddWithValue("$lastDay", last.DayNumber - Epoch);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => Number(d),
                DBNull => "null",
                var v => Convert.ToString(v, CultureInfo.InvariantCulture)!,
            })));
        return rows;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection store, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = store.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }
}
