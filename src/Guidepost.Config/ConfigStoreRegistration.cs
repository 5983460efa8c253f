using Guidepost.Config.Entities;
using Guidepost.Config.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guidepost.Config;

/// <summary>Which database holds the config store.</summary>
public enum ConfigStoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Registers the config store and the services that read and write it.</summary>
public static class ConfigStoreRegistration
{
    public static IServiceCollection AddConfigStore(this IServiceCollection services, ConfigStoreProvider provider, string connectionString)
    {
        _ = provider switch
        {
            ConfigStoreProvider.Sqlite => services.AddDbContext<ConfigDbContext, SqliteConfigDbContext>((provider, options) =>
                options.UseSqlite(connectionString).UseSnakeCaseNamingConvention().AddInterceptors(provider.GetRequiredService<ConfigChanges>())),
            ConfigStoreProvider.Postgres => services.AddDbContext<ConfigDbContext, PostgresConfigDbContext>((provider, options) =>
                options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention().AddInterceptors(provider.GetRequiredService<ConfigChanges>())),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown config store provider."),
        };
        services.AddSingleton<ConfigChanges>();
        services.AddSingleton<SubscriptionSnapshots>();
        services.AddSingleton<VerifiedKeys>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SubscriptionService>();
        services.AddScoped<IntegrationKeyService>();
        services.AddScoped<UserService>();
        services.AddScoped<Bootstrapper>();
        return services;
    }

    /// <summary>Brings the schema up to date; on SQLite also switches the file to WAL so readers never
    /// wait for a writer.</summary>
    public static async Task MigrateAsync(ConfigDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
