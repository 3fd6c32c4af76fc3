-- A small schema for mcp_postgres to read.
CREATE TABLE services (
  name        text PRIMARY KEY,
  host        text NOT NULL,
  port        integer NOT NULL,
  description text
);
INSERT INTO services VALUES
  ('litellm', 'litellm.linuxserver.lan', 4000, 'LLM gateway and MCP relay'),
  ('open-webui', 'openwebui.linuxserver.lan', 8080, 'Chat front end'),
  ('postgres', 'postgres.linuxserver.lan', 5432, 'Shared database');
