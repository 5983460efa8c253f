using System.Text;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Workload;

/// <summary>Generates seeded, realistic agent traffic: visitors in accounts visiting Zipf-popular pages,
/// clicking features and sending track events in sessions, some first anonymous and then identified,
/// flushed in payloads the way the agent flushes them, with duplicate and late deliveries.</summary>
public sealed class WorkloadGenerator(WorkloadOptions options)
{
    private const long Second = 1000;
    private const long Day = 86_400_000;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public Workload Generate() => GenerateInChunks(options.TargetEvents).Single();

    /// <summary>The same kind of traffic, for workloads too big to hold at once: the period is cut into
    /// windows of about <paramref name="chunkEvents"/> events each, generated one after the other, so each
    /// chunk holds the deliveries and truth of its own sessions (an anonymous visitor identifies once, in
    /// whichever chunk first sees it). With one chunk this is exactly <see cref="Generate"/>.</summary>
    public IEnumerable<Workload> GenerateInChunks(int chunkEvents)
    {
        var random = new Random(options.Seed);
        var site = new Site(options, random);
        var pages = new Zipf(options.Pages, options.ZipfExponent);
        var features = new Zipf(options.Features, options.ZipfExponent);
        var trackTypes = new Zipf(options.TrackTypes, options.ZipfExponent);
        var visitors = new Zipf(options.Visitors, 0.8);
        var accountOf = Enumerable.Range(0, options.Visitors).Select(_ => AccountId(random.Next(options.Accounts), random)).ToArray();
        var anonymousFirst = Enumerable.Range(0, options.Visitors).Select(_ => random.NextDouble() < options.AnonymousShare).ToArray();
        var seen = new bool[options.Visitors];

        var chunks = Math.Max(1, (options.TargetEvents + chunkEvents - 1) / chunkEvents);
        var window = (options.Days * Day - Day) / (double)chunks;
        var generated = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var target = (int)((long)options.TargetEvents * (chunk + 1) / chunks) - generated;
            var windowStart = options.EndMs - options.Days * Day + (long)(chunk * window);
            var events = new List<GeneratedEvent>(target + 1000);
            var deliveries = new List<Delivery>();
            var links = new Dictionary<string, string>();
            while (events.Count < target)
            {
                var v = visitors.Next(random);
                var session = new Session(options, random, events, deliveries, visitorId: $"visitor-{v}", accountOf[v],
                    time: windowStart + (long)(random.NextDouble() * window));
                if (!seen[v] && anonymousFirst[v]) session.VisitorId = "_PENDO_T_" + RandomId(random, 11);

                var pageCount = 1 + (int)(-Math.Log(1 - random.NextDouble()) * 4);
                for (var p = 0; p < pageCount; p++)
                {
                    var page = p == 0 || random.Next(3) > 0 ? pages.Next(random) : session.Page;
                    // A known visitor identifies as the agent initialises; an anonymous one signs in on its second page.
                    var identifying = !seen[v] && p == (anonymousFirst[v] ? 1 : 0);
                    if (identifying)
                    {
                        var anonymous = session.VisitorId;
                        session.Identify($"visitor-{v}", page, site);
                        if (anonymous != session.VisitorId) links[anonymous] = session.VisitorId;
                        seen[v] = true;
                    }
                    session.Load(page, site);
                    for (var c = random.Next(5); c > 0; c--)
                    {
                        var feature = random.Next(2) == 0 ? features.Next(random) : FeatureOn(site, session.Page, random);
                        if (random.Next(4) == 0) session.Add("focus", props: $$"""{"target":{{site.FeatureTargets[feature]}}}""", feature: feature);
                        session.Add("click", props: $$"""{"target":{"flags":["left"],{{site.FeatureTargets[feature][1..]}}}""", feature: feature);
                    }
                    if (random.NextDouble() < 0.3)
                        session.Track(site.TrackTypes[trackTypes.Next(random)], $$"""{"plan":"{{(random.Next(3) == 0 ? "pro" : "free")}}","amount":{{random.Next(1, 500)}}}""");
                }
                session.Flush(); // unload drains every queue
            }
            generated += events.Count;
            yield return new Workload([.. deliveries.OrderBy(d => d.SentAt)], new GroundTruth(events, links));
        }
    }

    private static int FeatureOn(Site site, int page, Random random)
    {
        var onPage = Array.FindIndex(site.FeaturePage, random.Next(site.FeaturePage.Length), p => p == page);
        return onPage >= 0 ? onPage : random.Next(site.FeaturePage.Length);
    }

    private string AccountId(int account, Random random) =>
        random.NextDouble() < options.ChildAccountShare ? $"parent-{account % 50}::account-{account}" : $"account-{account}";

    private static string RandomId(Random random, int length) =>
        string.Create(length, random, (chars, r) => { for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[r.Next(Alphabet.Length)]; });

    /// <summary>One visit in one tab: events get increasing times and sequence numbers and collect in the
    /// agent's queues (one for track events, one for the rest) until a flush, which follows every load,
    /// identify and meta event and the page's unload, as the agent does (protocol §7).</summary>
    private sealed class Session(WorkloadOptions options, Random random, List<GeneratedEvent> events, List<Delivery> deliveries,
        string visitorId, string accountId, long time)
    {
        private readonly string _tab = RandomId(random, 16);
        private readonly string _frame = RandomId(random, 16);
        private readonly string _session = RandomId(random, 16);
        private readonly List<string> _queue = [];
        private readonly List<string> _tracks = [];
        private long _sequence;
        private string _url = "";

        public string VisitorId { get; set; } = visitorId;
        public int Page { get; private set; }

        public void Load(int page, Site site)
        {
            Page = page;
            _url = site.Pages[page];
            Add("load", props: $$"""{"load_time":{{random.Next(50, 3000)}}}""");
            if (options.EventsPerPayload is not { } size || _queue.Count + _tracks.Count >= size) Flush();
        }

        /// <summary>Identify and meta, in the same tick as the load of <paramref name="page"/> that follows.</summary>
        public void Identify(string identified, int page, Site site)
        {
            _url = site.Pages[page];
            var old = VisitorId;
            VisitorId = identified;
            var oldJson = old == identified ? "" : $"\"old_visitor_id\":\"{old}\",";
            Add("identify", props: $$"""{{{oldJson}}"old_account_id":null,"visitor_id":"{{identified}}","account_id":"{{accountId}}"}""");
            Add("meta", props: $$$"""{"visitor":{"id":"{{{identified}}}","email":"{{{identified}}}@example.test","role":"{{{(random.Next(4) == 0 ? "admin" : "user")}}}"},"account":{"id":"{{{accountId}}}","plan":"{{{(random.Next(3) == 0 ? "gold" : "basic")}}}"},"parentAccount":{}}""");
        }

        public void Track(string name, string props)
        {
            _tracks.Add(Event("track", props, name));
            events.Add(Truth("track", name, null));
        }

        public void Add(string type, string props, int? feature = null)
        {
            _queue.Add(Event(type, props, null));
            events.Add(Truth(type, null, feature));
        }

        public void Flush()
        {
            if (_queue.Count > 0) Deliver(_queue, isTrack: false);
            if (_tracks.Count > 0) Deliver(_tracks, isTrack: true);
            _queue.Clear();
            _tracks.Clear();
        }

        private void Deliver(List<string> payload, bool isTrack)
        {
            var jzb = Jzb.Encode(Encoding.UTF8.GetBytes("[" + string.Join(',', payload) + "]"));
            var late = random.NextDouble() < options.LateShare ? (long)(random.NextDouble() * 3 * Day) : 0;
            deliveries.Add(new Delivery(jzb, isTrack, payload.Count, time + late, IsDuplicate: false));
            if (random.NextDouble() < options.DuplicateShare)
                deliveries.Add(new Delivery(jzb, isTrack, payload.Count, time + late + 500, IsDuplicate: true));
        }

        private string Event(string type, string props, string? trackName)
        {
            time += random.Next(1, 30) * Second + random.Next(1000);
            var track = trackName is null ? "" : $$""","track_event_name":"{{trackName}}" """;
            return $$"""{"type":"{{type}}","browser_time":{{time}},"visitor_id":"{{VisitorId}}","account_id":"{{accountId}}","url":"{{_url}}","props":{{props}},"tabId":"{{_tab}}","frameId":"{{_frame}}","sessionId":"{{_session}}","sequence":{{_sequence++}}{{track}}}""";
        }

        private GeneratedEvent Truth(string type, string? trackName, int? feature) =>
            new(type, time, VisitorId, accountId, _tab, _frame, _sequence - 1, _url, trackName, feature);
    }
}
