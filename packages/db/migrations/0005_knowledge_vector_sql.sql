-- Vector similarity for the knowledge base, only where pgvector is installed (PGlite loads it;
-- on Postgres it is the postgresql-NN-pgvector package). Without it nothing is added and
-- retrieval stays full-text only; the server reports why (docs/knowledge.md).
-- Embeddings keep their model's dimension, so the column has none: searches compare only the
-- vectors of the agent's own chunks, made with the same model (exact scan, no ANN index).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'pgvector is installed but this role may not create it; knowledge search stays full-text';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding vector;
    ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding_model text;
  END IF;
END
$$;
