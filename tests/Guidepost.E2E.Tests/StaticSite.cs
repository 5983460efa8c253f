using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guidepost.E2E.Tests;

/// <summary>A customer's web application: pages and scripts on their own loopback origin, so every call
/// the agent makes to Guidepost is cross-origin, as in production.</summary>
internal sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, string origin) => (_app, Origin) = (app, origin);

    public string Origin { get; }

    /// <param name="pages">Path → HTML served for it.</param>
    /// <param name="scriptFolder">Served under <c>/static/</c>.</param>
    public static async Task<StaticSite> StartAsync(Func<string, string?> pages, string scriptFolder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/static/{file}", (string file) =>
            Path.GetFileName(file) == file && File.Exists(Path.Combine(scriptFolder, file))
                ? Results.File(Path.Combine(scriptFolder, file), file.EndsWith(".css") ? "text/css" : "text/javascript")
                : Results.NotFound());
        app.MapFallback((HttpContext http) => pages(http.Request.Path) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaticSite(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
