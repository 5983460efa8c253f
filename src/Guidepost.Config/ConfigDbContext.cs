using Guidepost.Config.Entities;
using Guidepost.Config.Entities.Analytics;
using Guidepost.Config.Entities.Guides;
using Guidepost.Config.Entities.Tags;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Config;

/// <summary>The config store: tenancy and, later, tags, guides, segments and jobs. One model for every
/// provider; each provider has a derived context only so it can keep its own migrations.</summary>
public abstract class ConfigDbContext(DbContextOptions options) : DbContext(options)
{
    public const int MaxNameLength = 200;

    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<IntegrationKey> IntegrationKeys => Set<IntegrationKey>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<InstanceSetting> InstanceSettings => Set<InstanceSetting>();
    public DbSet<Page> Pages => Set<Page>();
    public DbSet<Feature> Features => Set<Feature>();
    public DbSet<TrackType> TrackTypes => Set<TrackType>();
    public DbSet<ProductArea> ProductAreas => Set<ProductArea>();
    public DbSet<MetadataField> MetadataFields => Set<MetadataField>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SavedReport> SavedReports => Set<SavedReport>();
    public DbSet<Guide> Guides => Set<Guide>();
    public DbSet<GuideVersion> GuideVersions => Set<GuideVersion>();
    public DbSet<GuideReset> GuideResets => Set<GuideReset>();
    public DbSet<GuideAsset> GuideAssets => Set<GuideAsset>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConfigDbContext).Assembly);
}

/// <summary>The config store on an embedded SQLite file.</summary>
public sealed class SqliteConfigDbContext(DbContextOptions<SqliteConfigDbContext> options) : ConfigDbContext(options);

/// <summary>The config store on PostgreSQL.</summary>
public sealed class PostgresConfigDbContext(DbContextOptions<PostgresConfigDbContext> options) : ConfigDbContext(options);
