namespace Guidepost.Testing.Analytics;

/// <summary>One distinct event of an <see cref="ActivityScenario"/>, with what the generator knows about it:
/// the section of its URL and the button a click hit, so tests know the answer to a rule without running one.</summary>
public sealed record ScenarioEvent(
    string Type, long Time, string VisitorId, string AccountId, string TabId, int Sequence, string Url, string Section,
    string? Button, string? TrackName, string? OldVisitorId = null);

/// <summary>A seeded stream of agent traffic for analytics tests: visitors in accounts, sessions of page
/// loads, clicks on buttons, focus and track events, anonymous visitors who identify during a session, and
/// deliveries that repeat (re-sends) or arrive late. Its answers come from the generated events themselves.</summary>
public sealed class ActivityScenario
{
    public static readonly string[] Sections = ["reports", "settings", "dashboard", "billing"];
    public static readonly string[] Buttons = ["save", "export", "cancel", "help"];
    public static readonly string[] TrackNames = ["Exported", "Invited", "Upgraded"];

    private ActivityScenario(List<ScenarioEvent> events, Dictionary<string, string> links, List<ScenarioEvent[]> onTime, List<ScenarioEvent[]> late)
    {
        Events = events;
        Links = links;
        OnTimeDeliveries = onTime;
        LateDeliveries = late;
    }

    /// <summary>Every distinct event once.</summary>
    public IReadOnlyList<ScenarioEvent> Events { get; }

    /// <summary>Anonymous visitor id → the identified visitor it became.</summary>
    public IReadOnlyDictionary<string, string> Links { get; }

    /// <summary>Payloads in the order agents send them, some twice.</summary>
    public IReadOnlyList<ScenarioEvent[]> OnTimeDeliveries { get; }

    /// <summary>Payloads that arrive only after everything else (offline tabs).</summary>
    public IReadOnlyList<ScenarioEvent[]> LateDeliveries { get; }

    /// <summary>The visitor an event counts for: the identified one an anonymous visitor became.</summary>
    public string Identified(string visitorId) => Links.TryGetValue(visitorId, out var identified) ? identified : visitorId;

    public static ActivityScenario Generate(int seed, long startMs, int days, int visitors = 40, int accounts = 6, int sessionsPerVisitor = 6)
    {
        var random = new Random(seed);
        var events = new List<ScenarioEvent>();
        var links = new Dictionary<string, string>();
        var onTime = new List<(long SentAt, ScenarioEvent[] Payload)>();
        var late = new List<ScenarioEvent[]>();
        var span = days * 86_400_000L;

        for (var v = 0; v < visitors; v++)
        {
            // Every tenth visitor never identifies: it stays anonymous throughout.
            var visitor = v % 10 == 9 ? $"_PENDO_T_solo{v}" : $"visitor-{v}";
            var account = $"account-{v % accounts}";
            var sequence = 0;
            for (var s = 0; s < sessionsPerVisitor; s++)
            {
                var tab = $"tab-{v}-{s}";
                var time = startMs + (long)(random.NextDouble() * (span - 3_600_000));
                // A visitor's first session is sometimes anonymous until an identify event part-way through.
                var anonymous = s == 0 && v % 5 == 0 && v % 10 != 9 ? $"_PENDO_T_anon{v}" : null;
                var identifyAt = anonymous is null ? -1 : random.Next(2, 5);
                var session = new List<ScenarioEvent>();
                var section = Sections[random.Next(Sections.Length)];
                var length = random.Next(4, 25);
                for (var i = 0; i < length; i++)
                {
                    time += random.Next(3) == 0 ? random.Next(60_000, 600_000) : random.Next(1_000, 50_000);
                    var current = anonymous is not null && i < identifyAt ? anonymous : visitor;
                    var url = $"https://app.example/{section}/{random.Next(5)}" + (random.Next(4) == 0 ? $"?tab={random.Next(3)}" : "");
                    if (i == identifyAt)
                    {
                        links[anonymous!] = visitor;
                        session.Add(new ScenarioEvent("identify", time, visitor, account, tab, sequence++, url, section, null, null, anonymous));
                        continue;
                    }
                    var roll = random.Next(10);
                    if (i == 0 || roll < 3)
                    {
                        if (i > 0 && random.Next(3) == 0) section = Sections[random.Next(Sections.Length)];
                        url = $"https://app.example/{section}/{random.Next(5)}" + (random.Next(4) == 0 ? $"?tab={random.Next(3)}" : "");
                        session.Add(new ScenarioEvent("load", time, current, account, tab, sequence++, url, section, null, null));
                    }
                    else if (roll < 7) session.Add(new ScenarioEvent("click", time, current, account, tab, sequence++, url, section, Buttons[random.Next(Buttons.Length)], null));
                    else if (roll < 8) session.Add(new ScenarioEvent("track", time, current, account, tab, sequence++, url, section, null, TrackNames[random.Next(TrackNames.Length)]));
                    else session.Add(new ScenarioEvent("focus", time, current, account, tab, sequence++, url, section, null, null));
                }
                events.AddRange(session);

                // Agents flush in small payloads; a tenth of sessions stay offline and arrive at the end.
                var offline = random.Next(10) == 0;
                for (var at = 0; at < session.Count; at += 5)
                {
                    var payload = session.Skip(at).Take(5).ToArray();
                    if (offline) late.Add(payload);
                    else
                    {
                        onTime.Add((payload[^1].Time, payload));
                        if (random.Next(8) == 0) onTime.Add((payload[^1].Time + 1, payload));
                    }
                }
            }
        }
        return new ActivityScenario(events, links, [.. onTime.OrderBy(d => d.SentAt).Select(d => d.Payload)], late);
    }

    /// <summary>The payload as the Pendo agent would send it.</summary>
    public static object[] AgentEvents(IEnumerable<ScenarioEvent> payload) => [.. payload.Select(AgentEvent)];

    private static object AgentEvent(ScenarioEvent e) => e.Type switch
    {
        "click" => Event(e, new
        {
            target = new
            {
                tag = "BUTTON", id = e.Button, cls = $"btn btn-{e.Section}", title = (string?)null, attrs = new { name = e.Button }, myIndex = 3, childIndex = 1,
                parentElem = new
                {
                    tag = "DIV", id = "", cls = "toolbar", title = (string?)null, attrs = new { }, myIndex = 1, childIndex = 0,
                    parentElem = new { tag = "BODY", id = "", cls = "", title = (string?)null, attrs = new { }, myIndex = 2, childIndex = 1 },
                },
            },
        }),
        "identify" => Event(e, new { old_visitor_id = e.OldVisitorId, visitor_id = e.VisitorId, account_id = e.AccountId }),
        "track" => Event(e, new { plan = "pro" }),
        _ => Event(e, new { }),
    };

    private static Dictionary<string, object?> Event(ScenarioEvent e, object props)
    {
        var fields = new Dictionary<string, object?>
        {
            ["type"] = e.Type, ["browser_time"] = e.Time, ["visitor_id"] = e.VisitorId, ["account_id"] = e.AccountId, ["url"] = e.Url,
            ["props"] = props, ["tabId"] = e.TabId, ["frameId"] = "frame-1", ["sessionId"] = e.TabId, ["sequence"] = e.Sequence,
        };
        if (e.Type == "track") fields["track_event_name"] = e.TrackName;
        return fields;
    }
}
