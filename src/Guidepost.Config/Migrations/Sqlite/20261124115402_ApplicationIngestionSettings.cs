using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guidepost.Config.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ApplicationIngestionSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ingestion",
                table: "applications",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "track_secret_hash",
                table: "applications",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_applications_track_secret_hash",
                table: "applications",
                column: "track_secret_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_applications_track_secret_hash",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "ingestion",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "track_secret_hash",
                table: "applications");
        }
    }
}
