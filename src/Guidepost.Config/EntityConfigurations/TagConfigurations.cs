using Guidepost.Config.Entities;
using Guidepost.Config.Entities.Tags;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

/// <summary>The columns every tag table shares.</summary>
internal static class TagColumns
{
    public const int IdLength = 32;

    public static void Configure<T>(EntityTypeBuilder<T> builder) where T : Tag
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(IdLength);
        builder.Property(t => t.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.Property(t => t.ProductAreaId).HasMaxLength(IdLength);
        builder.Property(t => t.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(t => t.LastUpdatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasIndex(t => new { t.SubscriptionId, t.ApplicationId });
        builder.HasOne<Application>().WithMany().HasForeignKey(t => t.ApplicationId);
        builder.HasOne<ProductArea>().WithMany().HasForeignKey(t => t.ProductAreaId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PageConfiguration : IEntityTypeConfiguration<Page>
{
    public void Configure(EntityTypeBuilder<Page> builder) => TagColumns.Configure(builder);
}

internal sealed class FeatureConfiguration : IEntityTypeConfiguration<Feature>
{
    public void Configure(EntityTypeBuilder<Feature> builder)
    {
        TagColumns.Configure(builder);
        builder.Property(f => f.PageId).HasMaxLength(TagColumns.IdLength);
        builder.HasOne<Page>().WithMany().HasForeignKey(f => f.PageId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class TrackTypeConfiguration : IEntityTypeConfiguration<TrackType>
{
    public void Configure(EntityTypeBuilder<TrackType> builder)
    {
        TagColumns.Configure(builder);
        builder.Property(t => t.TrackTypeName).HasMaxLength(256);
        builder.HasIndex(t => new { t.ApplicationId, t.TrackTypeName }).IsUnique();
    }
}

internal sealed class ProductAreaConfiguration : IEntityTypeConfiguration<ProductArea>
{
    public void Configure(EntityTypeBuilder<ProductArea> builder)
    {
        builder.Property(a => a.Id).HasMaxLength(TagColumns.IdLength);
        builder.Property(a => a.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(a => a.Description).HasMaxLength(2000);
        builder.Property(a => a.Color).HasMaxLength(32);
        builder.HasIndex(a => a.SubscriptionId);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(a => a.SubscriptionId);
    }
}
