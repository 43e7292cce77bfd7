/**
 * A zod error as one line of a message: "path: message; path: message", `root` standing for an empty path (an
 * issue with the value as a whole). Every message that names a bad field goes through here, so they read alike.
 */
import type {z} from "zod";

export function describeZodIssues(error: z.ZodError, root = "(root)"): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : root}: ${i.message}`).join("; ");
}
