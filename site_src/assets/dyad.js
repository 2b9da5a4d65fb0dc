// Dyad's site script. Charts arrive with the charts issue; this file is loaded on every page.
