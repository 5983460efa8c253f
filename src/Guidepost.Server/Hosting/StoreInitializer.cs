using Guidepost.Config;
using Guidepost.Config.Tenancy;
using Guidepost.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Guidepost.Server.Hosting;

/// <summary>Where first-run secrets are printed; the console unless a test captures it.</summary>
public sealed record BootstrapOutput(TextWriter Writer);

/// <summary>Before the server accepts a request: migrates the config store, opens the event store and
/// bootstraps an empty installation.</summary>
internal sealed class StoreInitializer(
    IServiceScopeFactory scopes, SqliteEventStore events, BootstrapOutput output, IOptions<GuidepostOptions> options,
    ILogger<StoreInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetFullPath(options.Value.DataDirectory));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfigDbContext>();
        await ConfigStoreRegistration.MigrateAsync(db, cancellationToken);
        await events.InitializeAsync(cancellationToken);

        var bootstrapped = await scope.ServiceProvider.GetRequiredService<Bootstrapper>()
            .RunAsync(options.Value.Bootstrap, output.Writer, cancellationToken);
        if (bootstrapped) logger.LogInformation("Bootstrapped a new installation in {DataDirectory}", options.Value.DataDirectory);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
