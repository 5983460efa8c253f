using System.IO.Compression;
using System.Text;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Ingestion.Tests.Wire;

public sealed class JzbTests
{
    // Test vectors produced by the Pendo agent's own compress() (protocol reference §9).
    [Theory]
    [InlineData("eJwFwIEIAAAAwDDQd3-N1QABFQC5", "[]")]
    [InlineData("eJw1yDEKgDAMRuG7_LOaxMWSG3gMqYMFsVJTF_HuLUV5y-N7cIcrWEzzCv2_F3RYvI_5sObfN89pr7KZnUok4zRwTdSxY8JbADEsGEA",
        """{"visitorId":"visitor-1","accountId":"account-1","url":"http://127.0.0.1:8080/"}""")]
    [InlineData("eJxFj-FLwzAQxf-X-1xt0qkb_SYqMkRERERESpreaKRNYu46nWP_-661YvIl9368vHdve-BdRCihC6aBDOoUvghTxa4XVS_V_8lg68hxSJVrxDAPJ1pcxtoweP4F8zCBIXWitMyxzHNdLE-VXF2u1ErlgmMKkaDcT-l_mYU6ZMCmXo-fXdZXzc3mtl1_3HX3_iGKaZNMjxN8TE_8vH35fv1RulicnQskJHLBT5gWRFrJe15g7MP9GGdb4z2O1a5dQssgiYSfA3orDWTTescoxYoLdXg_AnygWbY",
        """[{"type":"load","browser_time":1700000000000,"visitor_id":"visitor-1","account_id":"account-1","url":"http://127.0.0.1:8080/","props":{"load_time":120},"tabId":"AbCdEfGhIjKlMnOp","frameId":"QrStUvWxYz012345","sessionId":"s3ss10nId0000000","utm":{"channel":"Direct"},"sequence":0,"bytes":260}]""")]
    public void The_agents_own_encoding_decodes_exactly(string jzb, string json) =>
        Encoding.UTF8.GetString(Jzb.Decode(jzb, 1 << 20, 1 << 20)).ShouldBe(json);

    [Fact]
    public void Encode_is_read_back_by_an_independent_zlib_reader()
    {
        var json = """[{"type":"click","url":"https://ü.example/"}]""";
        var jzb = Jzb.Encode(Encoding.UTF8.GetBytes(json));

        jzb.ShouldNotContain("=");
        jzb.ShouldNotContain("+");
        var bytes = Convert.FromBase64String(jzb.Replace('-', '+').Replace('_', '/').PadRight((jzb.Length + 3) / 4 * 4, '='));
        bytes[0].ShouldBe((byte)0x78, "a zlib (RFC 1950) header");
        using var zlib = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress);
        new StreamReader(zlib).ReadToEnd().ShouldBe(json);
    }

    [Fact]
    public void Padded_standard_base64_is_accepted_too()
    {
        var jzb = Jzb.Encode("[1,2,3]"u8);
        var standard = jzb.Replace('-', '+').Replace('_', '/').PadRight((jzb.Length + 3) / 4 * 4, '=');
        Encoding.UTF8.GetString(Jzb.Decode(standard, 1 << 20, 1 << 20)).ShouldBe("[1,2,3]");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not base64 at all!", "base64url")]
    [InlineData("AAAAAAAAAAAA", "zlib")]
    public void Garbage_is_refused_with_the_reason(string jzb, string reason) =>
        Should.Throw<PayloadException>(() => Jzb.Decode(jzb, 1 << 20, 1 << 20)).Message.ShouldContain(reason);

    [Fact]
    public void A_zip_bomb_stops_at_the_inflated_limit()
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(new byte[50 * 1024 * 1024]);
        var bomb = Convert.ToBase64String(compressed.ToArray()); // 50 MB of zeros in ~70 KB
        bomb.Length.ShouldBeLessThan(200_000);
        Should.Throw<PayloadException>(() => Jzb.Decode(bomb, 1 << 20, 4 * 1024 * 1024)).Message.ShouldContain("inflates to more than");
    }

    [Fact]
    public void An_over_long_payload_is_refused_before_decoding() =>
        Should.Throw<PayloadException>(() => Jzb.Decode(new string('A', 1001), 1000, 1 << 20)).Message.ShouldContain("limit is 1000");
}
