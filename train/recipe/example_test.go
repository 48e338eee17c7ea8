package recipe_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train/recipe"
)

// Train a tiny model on a folder of three tones for two epochs. A real
// run starts from recipe.Default() with only Data (and Out) set.
func ExampleTrain() {
	data, err := os.MkdirTemp("", "tones")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(data)
	if err := writeTones(data, map[string]float64{"low": 300, "mid": 1000, "high": 2500}, 12); err != nil {
		log.Fatal(err)
	}

	o := recipe.Default()
	o.Data = data
	o.Hidden, o.Layers, o.Epochs, o.Batch, o.Workers = 8, 1, 2, 8, 2
	o.ValPct, o.TestPct = 20, 20
	res, err := recipe.Train(context.Background(), o)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("labels:", res.Model.Meta.Labels)
	fmt.Println("clips:", res.Training, "training,", res.Validation, "validation,", res.Testing, "test")
	fmt.Println("epochs:", len(res.History))
	// Output:
	// labels: [high low mid]
	// clips: 18 training, 12 validation, 6 test
	// epochs: 2
}

// Combine two models trained alike, with other seeds, into one that
// averages them.
func ExampleEnsemble() {
	data, err := os.MkdirTemp("", "tones")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(data)
	if err := writeTones(data, map[string]float64{"low": 300, "high": 2500}, 8); err != nil {
		log.Fatal(err)
	}
	var models []*model.Model
	for seed := range int64(2) {
		o := recipe.Default()
		o.Data, o.Seed = data, seed+1
		o.Hidden, o.Layers, o.Epochs, o.Batch, o.Workers = 4, 1, 1, 8, 1
		res, err := recipe.Train(context.Background(), o)
		if err != nil {
			log.Fatal(err)
		}
		models = append(models, res.Model)
	}
	e, err := recipe.Ensemble(models...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(e.Members()), "networks; labels", e.Meta.Labels, "; second seed", e.Meta.Training["ensemble.2.seed"])
	// Output:
	// 2 networks; labels [high low] ; second seed 2
}
