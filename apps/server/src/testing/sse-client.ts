/** An SSE client over fetch for tests: collects the text and waits for what a test expects. */
export async function connectSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const read = async (): Promise<void> => {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
    ]);
    if (chunk?.done) ended = true;
    if (chunk?.value) text += decoder.decode(chunk.value, { stream: true });
  };
  /** Resolves with the text once it contains `needle`. */
  const waitFor = async (needle: string, timeoutMs = 5000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!text.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`no "${needle}" in ${JSON.stringify(text)}`);
      if (ended) throw new Error(`stream ended without "${needle}": ${JSON.stringify(text)}`);
      await read();
    }
    return text;
  };
  /** Resolves with the whole text once the server ended the stream. */
  const waitForEnd = async (timeoutMs = 5000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!ended) {
      if (Date.now() > deadline) throw new Error(`stream still open: ${JSON.stringify(text)}`);
      await read();
    }
    return text;
  };
  return { res, waitFor, waitForEnd, text: () => text, close: () => controller.abort() };
}
