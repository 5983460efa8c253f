using Guidepost.Config.Entities;
using Guidepost.Core.Tenancy;
using Guidepost.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Config.Tenancy;

/// <summary>What the first start creates. Values left empty are generated and printed once.</summary>
public sealed class BootstrapOptions
{
    public string? ApiKey { get; set; }
    public string? IntegrationKey { get; set; }
    public string? AdminPassword { get; set; }
    public string AdminUsername { get; set; } = "admin";
}

/// <summary>On an empty config store, creates a default subscription, a web application, a read-write
/// integration key and an instance admin. Runs once per installation: later starts change nothing.</summary>
public sealed class Bootstrapper(
    ConfigDbContext db, SubscriptionService subscriptions, IntegrationKeyService keys, UserService users, TimeProvider time)
{
    private const string BootstrappedKey = "bootstrapped_at";

    /// <summary>Returns true when this call bootstrapped the store. Secrets that were generated rather than
    /// configured are written to <paramref name="output"/>, the only place they ever appear.</summary>
    public async Task<bool> RunAsync(BootstrapOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (await db.InstanceSettings.AnyAsync(s => s.Key == BootstrappedKey, cancellationToken)) return false;
        var apiKey = NullIfBlank(options.ApiKey);
        var integrationKey = NullIfBlank(options.IntegrationKey);
        var adminPassword = NullIfBlank(options.AdminPassword);
        Validate(apiKey, integrationKey, adminPassword);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscription = await subscriptions.CreateSubscriptionAsync("Default", TimeZones.Utc, null, cancellationToken);
        var (application, _) = await subscriptions.CreateApplicationAsync(
            subscription.Id, "Web application", Platform.Web, [], apiKey, cancellationToken);
        var (_, secret) = await keys.CreateAsync(
            subscription.Id, "Bootstrap key", KeyAccess.ReadWrite, integrationKey, cancellationToken);
        var password = adminPassword ?? Secrets.NewPassword();
        _ = await users.CreateAsync(options.AdminUsername, password, subscription.Id, Role.Admin, isInstanceAdmin: true, cancellationToken)
            ?? throw new InvalidOperationException($"User '{options.AdminUsername}' already exists in a store that was never bootstrapped.");
        db.InstanceSettings.Add(new InstanceSetting { Key = BootstrappedKey, Value = time.GetUtcNow().ToString("O") });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var generated = new List<string>();
        if (apiKey is null) generated.Add($"  application API key:  {application.ApiKey}");
        if (integrationKey is null) generated.Add($"  integration key:      {secret}");
        if (adminPassword is null) generated.Add($"  admin login:          {options.AdminUsername} / {password}");
        if (generated.Count > 0)
        {
            await output.WriteLineAsync(
                "Guidepost created its first subscription. These secrets are shown only now; store them safely:" +
                Environment.NewLine + string.Join(Environment.NewLine, generated));
            await output.FlushAsync(cancellationToken);
        }
        return true;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Validate(string? apiKey, string? integrationKey, string? adminPassword)
    {
        if (integrationKey is { Length: < Secrets.MinSecretLength })
            throw new InvalidOperationException($"Guidepost:Bootstrap:IntegrationKey must have at least {Secrets.MinSecretLength} characters.");
        if (adminPassword is { Length: < UserService.MinPasswordLength })
            throw new InvalidOperationException($"Guidepost:Bootstrap:AdminPassword must have at least {UserService.MinPasswordLength} characters.");
        if (apiKey is { Length: > 64 })
            throw new InvalidOperationException("Guidepost:Bootstrap:ApiKey must have at most 64 characters.");
    }
}
