import { sql } from "drizzle-orm";
import type { Database } from "../../infrastructure/db/database";
import { columnDoc, TABLE_DOCS } from "./catalog-docs";

export interface SqlSchemaTable {
  name: string;
  kind: "table" | "view";
  description: string | null;
  columns: { name: string; type: string; nullable: boolean; description: string | null }[];
}

interface CatalogRow extends Record<string, unknown> {
  table_name: string;
  kind: "table" | "view";
  column_name: string;
  type: string;
  nullable: boolean;
}

/** What the SQL interface's role may SELECT, read from the catalog, with our descriptions. */
export async function describeSqlSchema(deps: { db: Database }): Promise<SqlSchemaTable[]> {
  const result = await deps.db.withSystem((tx) =>
    tx.execute<CatalogRow>(sql`
      select c.relname as table_name,
        case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind,
        a.attname as column_name,
        case when t.typcategory = 'A' and e.oid is not null then e.typname || '[]'
          else t.typname end as type,
        not a.attnotnull as nullable
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_type t on t.oid = a.atttypid
      left join pg_catalog.pg_type e on e.oid = t.typelem
      where c.relkind in ('r', 'p', 'v', 'm')
        and has_column_privilege('ds_reader', c.oid, a.attnum, 'SELECT')
      order by kind, c.relname, a.attnum`),
  );
  const tables = new Map<string, SqlSchemaTable>();
  for (const row of result.rows) {
    let table = tables.get(row.table_name);
    if (!table) {
      table = {
        name: row.table_name,
        kind: row.kind,
        description: TABLE_DOCS[row.table_name] ?? null,
        columns: [],
      };
      tables.set(row.table_name, table);
    }
    table.columns.push({
      name: row.column_name,
      type: row.type,
      nullable: row.nullable,
      description: columnDoc(row.table_name, row.column_name),
    });
  }
  return [...tables.values()];
}
