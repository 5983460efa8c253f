using Guidepost.Config;
using Guidepost.Core.Events;
using Guidepost.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Guidepost.Server.Hosting;

/// <summary>Wires the config store, the event store and their start-up.</summary>
internal static class StoresExtensions
{
    public static void AddStores(this WebApplicationBuilder builder, GuidepostOptions options)
    {
        var config = options.ConfigStore;
        var connectionString = config.Provider switch
        {
            ConfigStoreProvider.Sqlite => config.ConnectionString
                ?? new SqliteConnectionStringBuilder { DataSource = options.DataPath("config.db") }.ToString(),
            _ => config.ConnectionString ?? throw new InvalidOperationException(
                $"Guidepost:ConfigStore:ConnectionString is required when the config store provider is {config.Provider}."),
        };
        builder.Services.AddConfigStore(config.Provider, connectionString);

        builder.Services.AddSingleton(_ => new SqliteEventStore(options.DataPath("events.db"), options.EventStore.SynchronousFull));
        builder.Services.AddSingleton<IEventStore>(services => services.GetRequiredService<SqliteEventStore>());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new BootstrapOutput(Console.Out));
        builder.Services.AddHostedService<StoreInitializer>();
    }
}
