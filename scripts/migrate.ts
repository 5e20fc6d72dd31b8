/** `npm run db:migrate`: apply migrations to DATABASE_URL (Neon in production). */
import { migrateDatabase } from "./lib/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the database to migrate.");
  process.exit(1);
}
await migrateDatabase(url);
console.log("migrations applied");
