using System.Net.Http.Headers;
using System.Net.Http.Json;
using Guidepost.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Guidepost.Testing;

/// <summary>The real server in-process on a data folder of the test's choosing. Disposing it and
/// creating another on the same folder is a restart.</summary>
public sealed class GuidepostApp(
    string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logging = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string IntegrationKeyHeader = "x-pendo-integration-key";

    /// <summary>What the first-run bootstrap printed.</summary>
    public StringWriter BootstrapOutput { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Guidepost:DataDirectory", dataDirectory);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureServices(collection =>
        {
            collection.Replace(ServiceDescriptor.Singleton(new BootstrapOutput(BootstrapOutput)));
            services?.Invoke(collection);
        });
        if (logging is not null) builder.ConfigureLogging(log => log.AddProvider(logging));
    }

    /// <summary>A client that sends the integration key on every request.</summary>
    public HttpClient KeyClient(string integrationKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(IntegrationKeyHeader, integrationKey);
        return client;
    }

    /// <summary>A client logged in as a person, carrying the session cookie.</summary>
    public async Task<HttpClient> LoggedInClientAsync(string username, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password });
        response.EnsureSuccessStatusCode();
        return client;
    }
}
