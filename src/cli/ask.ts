// A yes/no question on the terminal (stderr, so stdout stays the command's output), and the
// short dollar figure the estimate lines use: shared by `experiment` and `judge`.
import { createInterface } from 'node:readline';

export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((res) => rl.question(question, res));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const usd = (x: number): string => (x === 0 ? '$0' : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(2)}`);
