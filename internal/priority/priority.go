// Package priority runs bulk work, reading and storing a dropped file,
// on threads the kernel puts behind the ones answering scrapes.
package priority

// Nice is the nice value of the threads Background runs work on.
const Nice = 10
