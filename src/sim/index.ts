/**
 * sim: synthetic companies — the demo company the server starts with, and simulated worlds with insiders
 * and ground truth for detection work. Other capabilities import only from this file.
 */
