using System.Text;
using System.Text.Json;
using Guidepost.Core.Events;
using Guidepost.Ingestion.Normalize;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Ingestion.Tests.Wire;

public sealed class AgentPayloadReaderTests
{
    private static readonly RequestContext Request = new(7, 8, ServerTime: 1_700_000_009_999, RemoteIp: "203.0.113.9",
        UserAgent: "UA", ParsedUserAgent: new ParsedUserAgent("Chrome", "120", "Linux", "", "desktop"), Language: "fr_FR");

    private static List<StoredEvent> Read(string json, IngestionOptions? options = null) =>
        new AgentPayloadReader(options ?? new IngestionOptions()).Read(Encoding.UTF8.GetBytes(json), Request);

    // The click example of the protocol reference (§4.2).
    private const string Click = """
        {"type":"click","browser_time":1700000001234,"visitor_id":"visitor-1","account_id":"account-1",
         "url":"http://127.0.0.1:8080/","props":{"target":{"tag":"BUTTON","id":"buy","cls":"btn primary","title":null,
          "attrs":{"name":"buy"},"myIndex":3,"childIndex":1,"flags":["left"],
          "parentElem":{"tag":"BODY","id":"","cls":"","title":null,"attrs":{},"myIndex":2,"childIndex":1}}},
         "tabId":"AbCdEfGhIjKlMnOp","frameId":"QrStUvWxYz012345","sessionId":"k2J9xQ0pL4mN7bV1",
         "utm":{"channel":"Direct"},"sequence":3,"bytes":402}
        """;

    [Fact]
    public void A_click_keeps_its_element_chain_and_envelope()
    {
        var e = Read($"[{Click}]").Single();

        e.ShouldBe(new StoredEvent
        {
            SubscriptionId = 7, ApplicationId = 8, Type = "click", Source = EventSource.Agent, BrowserTime = 1_700_000_001_234,
            ServerTime = 1_700_000_009_999, VisitorId = "visitor-1", AccountId = "account-1", SessionId = "k2J9xQ0pL4mN7bV1",
            TabId = "AbCdEfGhIjKlMnOp", FrameId = "QrStUvWxYz012345", Sequence = 3, Url = "http://127.0.0.1:8080/",
            ElementPath = """[{"tag":"BUTTON","id":"buy","cls":"btn primary","attrs":{"name":"buy"},"childIndex":1,"myIndex":3},{"tag":"BODY","childIndex":1,"myIndex":2}]""",
            Properties = """{"flags":["left"],"__utm__":{"channel":"Direct"}}""",
            RemoteIp = "203.0.113.9", UserAgent = "UA", Browser = "Chrome", BrowserVersion = "120", Os = "Linux", Device = "desktop",
            Language = "fr_FR",
        });
    }

    [Fact]
    public void Each_event_type_keeps_its_props()
    {
        var events = Read("""
            [{"type":"load","browser_time":1700000000000,"visitor_id":"v","url":"http://a/","props":{"load_time":120},"sequence":2},
             {"type":"identify","browser_time":1700000000001,"visitor_id":"v","account_id":null,"url":"http://a/",
              "props":{"old_visitor_id":"_PENDO_T_x8Kq2LmN0pQ","old_account_id":null,"visitor_id":"v","account_id":"a"}},
             {"type":"meta","browser_time":1700000000002,"visitor_id":"v","account_id":"a","url":"http://a/",
              "props":{"visitor":{"id":"v","email":"v@x.test","language":"en_US"},"account":{"id":"a"},"parentAccount":{},"date":"22/11/2025"}},
             {"type":"track","browser_time":1700000000003,"visitor_id":"v","url":"http://a/","props":{"plan":"pro","amount":42},"track_event_name":"Purchased"},
             {"type":"track","browser_time":1700000000004,"visitor_id":"v","url":"http://a/","props":"oops"},
             {"type":"guideSeen","visitor_id":"v","browser_time":1700000000005,"url":"http://a/",
              "props":{"guide_id":"g1","guide_step_id":"s1","reason":"auto","last_updated_at":1700000000000,"duration":3}},
             {"type":"pollResponse","visitor_id":"v","browser_time":1700000000006,"url":"http://a/","props":{"poll_id":"p1","poll_response":9}},
             {"type":"prompt","visitor_id":12345,"browser_time":1700000000007.9,"url":"http://a/"}]
            """);

        events.Select(e => (e.Type, e.Properties)).ShouldBe(
        [
            ("load", """{"load_time":120}"""),
            ("identify", """{"old_visitor_id":"_PENDO_T_x8Kq2LmN0pQ","old_account_id":null,"visitor_id":"v","account_id":"a"}"""),
            ("meta", """{"visitor":{"id":"v","email":"v@x.test","language":"en_US"},"account":{"id":"a"},"parentAccount":{},"date":"22/11/2025"}"""),
            ("track", """{"plan":"pro","amount":42}"""),
            ("track", """{"__err__":"oops"}"""),
            ("guideSeen", """{"guide_id":"g1","guide_step_id":"s1","reason":"auto","last_updated_at":1700000000000,"duration":3}"""),
            ("pollResponse", """{"poll_id":"p1","poll_response":9}"""),
            ("prompt", null),
        ]);
        events[3].TrackName.ShouldBe("Purchased");
        events[4].TrackName.ShouldBe("_PENDO_UNNAMED_");
        events[1].AccountId.ShouldBeNull();
        events[2].Language.ShouldBe("en_US", "a meta event's language wins over Accept-Language");
        events[0].Language.ShouldBe("fr_FR");
        events[7].VisitorId.ShouldBe("12345");
        events[7].BrowserTime.ShouldBe(1_700_000_000_007);
        events.ShouldAllBe(e => e.ElementPath == null);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("[1]", "Event 0: is not a JSON object")]
    [InlineData("""[{"browser_time":1700000000000,"visitor_id":"v"}]""", "Event 0: type is missing")]
    [InlineData("""[{"type":"load","visitor_id":"v"}]""", "browser_time is missing")]
    [InlineData("""[{"type":"load","browser_time":"soon","visitor_id":"v"}]""", "browser_time is missing or not a number")]
    [InlineData("""[{"type":"load","browser_time":17,"visitor_id":"v"}]""", "not a plausible epoch time")]
    [InlineData("""[{"type":"load","browser_time":1700000000000}]""", "visitor_id is missing")]
    [InlineData("""[{"type":"load","browser_time":1700000000000,"visitor_id":"  "}]""", "visitor_id is missing")]
    [InlineData("""[{"type":"load","browser_time":1700000000000,"visitor_id":{"a":1}}]""", "visitor_id must be a string")]
    [InlineData("""[{"type":"load","browser_time":1700000000000,"visitor_id":"v","sequence":"x"}]""", "sequence must be an integer")]
    [InlineData("""[{"type":"load","browser_time":1700000000000,"visitor_id":"v","url":5}]""", "url must be a string")]
    [InlineData("""[{"type":"load","browser_time":1700000000000,"visitor_id":"v"},{"type":"load"}]""", "Event 1:")]
    [InlineData("""[{"type":"load",""", "not valid JSON")]
    public void A_malformed_payload_names_the_event_and_the_problem(string json, string message) =>
        Should.Throw<PayloadException>(() => Read(json)).Message.ShouldContain(message);

    [Fact]
    public void Ids_have_pendos_length_limits()
    {
        Read($$"""[{"type":"load","browser_time":1700000000000,"visitor_id":"{{new string('v', 128)}}"}]""").ShouldHaveSingleItem();
        Should.Throw<PayloadException>(() => Read($$"""[{"type":"load","browser_time":1700000000000,"visitor_id":"{{new string('v', 129)}}"}]"""))
            .Message.ShouldContain("128 bytes");
    }

    [Fact]
    public void Limits_on_events_strings_and_depth_hold()
    {
        var options = new IngestionOptions { MaxEventsPerRequest = 2, MaxStringLength = 10, MaxJsonDepth = 8 };
        const string ok = """{"type":"load","browser_time":1700000000000,"visitor_id":"v"}""";
        Should.Throw<PayloadException>(() => Read($"[{ok},{ok},{ok}]", options)).Message.ShouldContain("limit is 2");
        Should.Throw<PayloadException>(() => Read("""[{"type":"load","browser_time":1700000000000,"visitor_id":"v","props":{"a":"01234567890"}}]""", options))
            .Message.ShouldContain("longer than 10");
        Should.Throw<PayloadException>(() => Read("""[{"type":"load","browser_time":1700000000000,"visitor_id":"v","props":{"a":[[[[[[[[1]]]]]]]]}}]""", options))
            .Message.ShouldContain("deeper than 8");
    }

    [Fact]
    public void A_deep_element_chain_is_kept_whole()
    {
        var target = """{"tag":"BODY"}""";
        for (var depth = 0; depth < 60; depth++) target = $$"""{"tag":"DIV","childIndex":{{depth}},"parentElem":{{target}}}""";
        var e = Read($$$"""[{"type":"click","browser_time":1700000000000,"visitor_id":"v","props":{"target":{{{target}}}}}]""").Single();

        using var path = JsonDocument.Parse(e.ElementPath!);
        path.RootElement.GetArrayLength().ShouldBe(61);
        path.RootElement[0].GetProperty("childIndex").GetInt32().ShouldBe(59);
        path.RootElement[60].GetProperty("tag").GetString().ShouldBe("BODY");
    }
}
