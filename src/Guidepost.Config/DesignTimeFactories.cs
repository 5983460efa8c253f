using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guidepost.Config;

// Used only by `dotnet ef migrations add`; each provider keeps its own migrations.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteConfigDbContext>
{
    public SqliteConfigDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteConfigDbContext>().UseSqlite("Data Source=design.db").UseSnakeCaseNamingConvention().Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresConfigDbContext>
{
    public PostgresConfigDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresConfigDbContext>().UseNpgsql("Host=127.0.0.1;Database=design").UseSnakeCaseNamingConvention().Options);
}
