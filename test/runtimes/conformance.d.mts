export const checks: string[];
export function runConformance(
  EventSource: unknown,
  origin: string,
  print: (line: string) => void,
): Promise<void>;
