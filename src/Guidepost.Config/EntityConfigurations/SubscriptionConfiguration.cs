using Guidepost.Config.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.Region).HasMaxLength(64);
        builder.HasMany(s => s.Applications).WithOne().HasForeignKey(a => a.SubscriptionId);
    }
}
