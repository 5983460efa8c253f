using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Guidepost.Testing;

/// <summary>Assertions on HTTP answers.</summary>
public static class Http
{
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A client error in the documented shape: a 4xx with <c>{"error": ..., "detail": ...}</c>.</summary>
    public static async Task<string> ShouldBeErrorAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await response.ShouldBeJsonAsync(status);
        json.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
        var detail = json.GetProperty("detail").GetString();
        detail.ShouldNotBeNullOrWhiteSpace();
        return detail!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body);
}
