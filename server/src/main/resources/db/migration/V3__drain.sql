-- Set by "drover drain": placement puts no instance on the host; cleared by "drover undrain".
ALTER TABLE host ADD COLUMN drained BOOLEAN NOT NULL DEFAULT FALSE;
