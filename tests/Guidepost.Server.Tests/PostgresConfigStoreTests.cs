using System.Net;
using System.Text.Json;
using Guidepost.Testing;
using Npgsql;

namespace Guidepost.Server.Tests;

/// <summary>The config store on a real PostgreSQL server: one setting switches it, and the same
/// behaviour holds.</summary>
public sealed class PostgresConfigStoreTests : IDisposable
{
    private readonly TestDirectory _data = new();
    private string? _database;
    private string? _server;

    [SkippableFact]
    public async Task The_config_store_runs_on_postgres_across_restarts()
    {
        var connectionString = await CreateDatabaseAsync();
        var bootstrap = Bootstrap.NewRandom();
        var settings = new Dictionary<string, string?>(bootstrap.Settings)
        {
            ["Guidepost:ConfigStore:Provider"] = "Postgres",
            ["Guidepost:ConfigStore:ConnectionString"] = connectionString,
        };

        Tenant tenant;
        using (var app = new GuidepostApp(_data.Path, settings))
        {
            using var health = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/health"));
            health.RootElement.GetProperty("stores").GetProperty("config").GetProperty("provider").GetString().ShouldBe("postgres");

            var admin = await app.LoggedInClientAsync(Bootstrap.AdminUsername, bootstrap.AdminPassword);
            tenant = await Tenants.CreateAsync(admin, "On Postgres");
            await (await admin.PostJsonAsync($"/api/admin/subscriptions/{tenant.Id}/applications",
                new { name = "Web", stagingHosts = new[] { "staging.example.com" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
            await (await app.KeyClient(tenant.ReadWriteKey).GetAsync("/api/admin/subscriptions/1")).ShouldBeErrorAsync(HttpStatusCode.NotFound);
        }
        File.Exists(_data.File("config.db")).ShouldBeFalse("the config store is not on SQLite");

        using var restarted = new GuidepostApp(_data.Path, settings);
        restarted.BootstrapOutput.ToString().ShouldBeEmpty();
        var client = restarted.KeyClient(tenant.ReadOnlyKey);
        var apps = await (await client.GetAsync($"/api/admin/subscriptions/{tenant.Id}/applications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        apps.GetArrayLength().ShouldBe(1);
        apps[0].GetProperty("stagingHosts")[0].GetString().ShouldBe("staging.example.com");
        var all = await (await (await restarted.LoggedInClientAsync(Bootstrap.AdminUsername, bootstrap.AdminPassword))
            .GetAsync("/api/admin/subscriptions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        all.GetArrayLength().ShouldBe(2);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM integration_keys WHERE secret_hash = @h", connection);
        count.Parameters.AddWithValue("h", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tenant.ReadOnlyKey))));
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1);
    }

    private async Task<string> CreateDatabaseAsync()
    {
        _server = TestServers.Postgres!;
        _database = "guidepost_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ToString();
    }

    public void Dispose()
    {
        _data.Dispose();
        if (_database is null || _server is null) return;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
