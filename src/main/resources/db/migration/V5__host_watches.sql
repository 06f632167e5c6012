-- Hosts the server scans by itself over SSH, next to the watched images: a watch of kind 'host' holds an
-- ssh://USER@HOST[:PORT] address as its reference and is scanned again every interval. The key and the
-- known hosts it connects with are the server's configuration, never stored here.
ALTER TABLE watches ADD COLUMN kind TEXT NOT NULL DEFAULT 'image' CHECK (kind IN ('image', 'host'));

-- The top-level directories a host scan leaves out, one per line (null: none).
ALTER TABLE watches ADD COLUMN skip_dirs TEXT;
