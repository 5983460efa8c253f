using Guidepost.Core.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Testing;

/// <summary>A bootstrapped Guidepost of one test's own: a fresh data folder, the server in-process (or on
/// real Kestrel), its configured first-run secrets and its default application. Disposing it deletes it all.</summary>
public sealed class TestInstallation : IAsyncDisposable
{
    private TestInstallation(TestDirectory data, Bootstrap bootstrap, GuidepostApp app) => (Data, Bootstrap, App) = (data, bootstrap, app);

    public TestDirectory Data { get; }
    public Bootstrap Bootstrap { get; }
    public GuidepostApp App { get; }

    /// <summary>A client sending the bootstrap integration key: read-write in the default subscription.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public DefaultApplication Target { get; private set; } = null!;

    /// <param name="settings">Configuration on top of the bootstrap secrets.</param>
    /// <param name="kestrel">Serve on a free loopback port, for clients that need a real socket (browsers).</param>
    public static async Task<TestInstallation> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool kestrel = false)
    {
        var data = new TestDirectory();
        var bootstrap = Bootstrap.NewRandom();
        var all = new Dictionary<string, string?>(bootstrap.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        if (kestrel) all["Guidepost:Listen"] = "http://127.0.0.1:0";
        var app = new GuidepostApp(data.Path, all, services: services);
        if (kestrel)
        {
            app.UseKestrel(0);
            app.StartServer();
        }
        var installation = new TestInstallation(data, bootstrap, app);
        installation.Admin = app.KeyClient(bootstrap.IntegrationKey);
        installation.Target = await DefaultApplications.FindAsync(installation.Admin);
        return installation;
    }

    /// <summary>Every event stored for the default application, in the order the browser made them.</summary>
    public async Task<List<StoredEvent>> StoredEventsAsync() =>
        [.. (await App.Services.GetRequiredService<IEventStore>()
                .ScanAsync(new EventScan(Target.SubscriptionId, Target.ApplicationId, 0, long.MaxValue), CancellationToken.None).ToListAsync())
            .OrderBy(e => e.BrowserTime).ThenBy(e => e.Sequence)];

    public ValueTask DisposeAsync()
    {
        App.Dispose();
        Data.Dispose();
        return ValueTask.CompletedTask;
    }
}
